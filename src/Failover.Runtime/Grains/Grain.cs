using Failover.Runtime.Activation;
using Failover.Runtime.Timers;

namespace Failover.Runtime.Grains;

/// <summary>
/// Base class of grain implementations (Orleans' shape). The runtime constructs grains; the constructor may
/// already use <see cref="GrainId"/>, timers and the grain factory.
/// </summary>
public abstract class Grain
{
    private readonly GrainActivation _activation;

    protected Grain()
    {
        _activation = GrainActivation.Constructing
            ?? throw new InvalidOperationException($"{GetType().Name} is a grain: get it from IGrainFactory.GetGrain, do not construct it.");
    }

    public GrainId GrainId => _activation.GrainId;

    protected IGrainFactory GrainFactory => _activation.Runtime.GrainFactory;

    protected IServiceProvider ServiceProvider => _activation.Runtime.Services;

    internal GrainActivation Activation => _activation;

    public string GetPrimaryKeyString() => GrainId.Key;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>An in-memory timer whose ticks run as turns of this activation (Orleans' RegisterGrainTimer).</summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new GrainTimer(_activation, (_, ct) => callback(ct), null, dueTime, period);
    }

    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(options);
        return new GrainTimer(_activation, (_, ct) => callback(ct), null, options.DueTime, options.Period, options.Interleave);
    }

    protected IGrainTimer RegisterGrainTimer<TState>(Func<TState, CancellationToken, Task> callback, TState state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new GrainTimer(_activation, (s, ct) => callback((TState)s!, ct), state, dueTime, period);
    }

    /// <summary>
    /// A durable reminder: survives deactivation and silo restarts; ticks arrive through
    /// <see cref="IRemindable.ReceiveReminder"/>. Periods below the silo's MinimumReminderPeriod are refused.
    /// </summary>
    protected Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        _activation.Runtime.Reminders.RegisterOrUpdateAsync(_activation, reminderName, dueTime, period);

    protected Task UnregisterReminder(IGrainReminder reminder)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        return _activation.Runtime.Reminders.UnregisterAsync(GrainId, reminder.ReminderName);
    }

    protected Task<IGrainReminder?> GetReminder(string reminderName) =>
        _activation.Runtime.Reminders.GetReminderAsync(GrainId, reminderName);

    protected Task<IReadOnlyList<IGrainReminder>> GetReminders() =>
        _activation.Runtime.Reminders.GetRemindersAsync(GrainId);

    /// <summary>Deactivates this activation once the current turn has finished.</summary>
    protected void DeactivateOnIdle() => _activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>Keeps the activation from idle collection for at least <paramref name="duration"/>.</summary>
    protected void DelayDeactivation(TimeSpan duration) => _activation.KeepAlive(duration);
}
