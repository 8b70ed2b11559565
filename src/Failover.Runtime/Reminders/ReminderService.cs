using System.Collections.Concurrent;
using Failover.Runtime.Activation;
using Failover.Runtime.Configuration;
using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Failover.Runtime.Invocation;
using Failover.Runtime.Membership;
using Failover.Runtime.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Reminders;

/// <summary>
/// Keeps the reminders this silo must fire in step with OrleansRemindersTable and delivers their ticks as grain
/// calls. A single silo owns the whole hash ring.
/// </summary>
internal sealed partial class ReminderService : IAsyncDisposable
{
    private static readonly VoidGrainMethod s_receiveReminder =
        (VoidGrainMethod)GrainMethod.For(typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder))!);

    private readonly ConcurrentDictionary<(GrainId, string), LocalReminder> _local = new();
    private readonly IReminderTable _table;
    private readonly MembershipView _view;
    private readonly Catalog _catalog;
    private readonly GrainTypeRegistry _registry;
    private readonly ReminderOptions _options;
    private readonly ILogger<ReminderService> _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly Lazy<IGrainCallInvoker> _invoker;
    private readonly Lazy<SiloTransport> _transport;
    private BackgroundLoop? _refreshLoop;

    public ReminderService(
        IReminderTable table,
        Catalog catalog,
        MembershipView view,
        GrainTypeRegistry registry,
        IOptions<ReminderOptions> options,
        IServiceProvider services,
        TimeProvider timeProvider,
        ILogger<ReminderService> logger)
    {
        _invoker = new Lazy<IGrainCallInvoker>(services.GetRequiredService<IGrainCallInvoker>);
        _transport = new Lazy<SiloTransport>(services.GetRequiredService<SiloTransport>);
        _table = table;
        _view = view;
        view.Changed += OnMembershipChanged;
        _catalog = catalog;
        _registry = registry;
        _options = options.Value;
        TimeProvider = timeProvider;
        _logger = logger;
    }

    public TimeProvider TimeProvider { get; }

    public int LocalReminderCount => _local.Count;

    public bool CanFire => _catalog.Lease.IsValid;

    /// <summary>Whether this silo fires the reminder now.</summary>
    public bool Fires(GrainId grainId, string reminderName) => _local.ContainsKey((grainId, reminderName));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        _refreshLoop = new BackgroundLoop(_options.RefreshPeriod, TimeProvider, BackgroundLoop.Always(RefreshLoggingFailuresAsync));
        _refreshLoop.Start();
    }

    public async Task StopAsync()
    {
        if (_refreshLoop is not null)
        {
            await _refreshLoop.StopAsync();
        }

        foreach (var reminder in _local.Values)
        {
            reminder.Dispose();
        }

        _local.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_refreshLoop is not null)
        {
            await _refreshLoop.DisposeAsync();
        }
        _refreshGate.Dispose();
    }

    /// <summary>Loads every row of the ring this silo owns and starts, replaces or stops local reminders to match.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshGate.WaitAsync(cancellationToken);
        try
        {
            IReadOnlyList<ReminderEntry> rows = [];
            if (MyRange() is { } range)
            {
                rows = await _table.ReadRowsAsync(range.Begin, range.End, cancellationToken);
            }

            var seen = new HashSet<(GrainId, string)>();
            foreach (var row in rows)
            {
                seen.Add((row.GrainId, row.ReminderName));
                if (!_local.TryGetValue((row.GrainId, row.ReminderName), out var existing) || existing.Entry.Version != row.Version)
                {
                    Schedule(row, await _table.ReadLastDeliveredTickAsync(row.GrainId, row.ReminderName, cancellationToken));
                }
            }

            foreach (var key in _local.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                if (_local.TryRemove(key, out var gone))
                {
                    gone.Dispose();
                }
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>Re-reads the reminders table soon, off the caller's path (a silo told us its reminders changed).</summary>
    internal void RefreshSoon() => _ = RefreshAfterMembershipChangeAsync();

    /// <summary>Tells the silo whose ring range holds <paramref name="grainHash"/> to re-read its reminders now.</summary>
    private void NotifyOwner(uint grainHash)
    {
        var active = _view.ActiveSilos;
        var owner = active.FirstOrDefault(s => ReminderRing.RangeOf(s, active) is { } range && ReminderRing.Contains(range.Begin, range.End, grainHash));
        if (owner is null || owner == _catalog.SiloAddress)
        {
            return;
        }

        _ = NotifyAsync(owner);

        async Task NotifyAsync(SiloAddress silo)
        {
            try
            {
                await _transport.Value.SendRequestAsync(
                    silo, new Message { Kind = MessageKind.Request, Method = ReminderRefreshNotice.Method }, TimeSpan.FromSeconds(2), _catalog.ShutdownToken);
            }
            catch (Exception exception)
            {
                // Not fatal: the owner's periodic refresh picks the change up anyway.
                LogNotifyFailed(silo, exception.Message);
            }
        }
    }

    internal Task RecordDeliveredAsync(ReminderEntry entry, DateTime tickTime) =>
        _table.RecordDeliveredTickAsync(entry.GrainId, entry.ReminderName, tickTime, _catalog.ShutdownToken);

    private static DateTime TruncateToMilliseconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMillisecond), time.Kind);

    private void OnMembershipChanged(MembershipSnapshot snapshot) => _ = RefreshAfterMembershipChangeAsync();

    private async Task RefreshAfterMembershipChangeAsync()
    {
        try
        {
            await RefreshAsync(_catalog.ShutdownToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogRefreshFailed(exception);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task<IGrainReminder> RegisterOrUpdateAsync(GrainActivation activation, string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        if (!activation.GrainClass.IsRemindable)
        {
            throw new InvalidOperationException($"Grain class {activation.GrainClass.Type.Name} must implement IRemindable to register reminders.");
        }

        if (period < _options.MinimumReminderPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period,
                $"Reminder period must be at least {_options.MinimumReminderPeriod.TotalMilliseconds:0.###} ms (Reminders:MinimumReminderPeriod).");
        }

        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "Reminder due time must not be negative.");
        }

        var entry = new ReminderEntry
        {
            GrainId = activation.GrainId,
            ReminderName = reminderName,
            // Whole milliseconds, as the table stores it: every silo must compute the same tick times.
            StartTime = TruncateToMilliseconds(TimeProvider.GetUtcNow().UtcDateTime + dueTime),
            Period = period,
        };
        var version = await _table.UpsertRowAsync(entry, _catalog.ShutdownToken);
        if (MyRange() is { } range && ReminderRing.Contains(range.Begin, range.End, entry.GrainHash))
        {
            Schedule(entry with { Version = version }, lastDeliveredTick: null);
        }
        else
        {
            NotifyOwner(entry.GrainHash);
        }

        return new GrainReminder(reminderName);
    }

    public async Task UnregisterAsync(GrainId grainId, string reminderName)
    {
        var row = await _table.ReadRowAsync(grainId, reminderName, _catalog.ShutdownToken);
        if (row is not null && !await _table.RemoveRowAsync(grainId, reminderName, row.Version, _catalog.ShutdownToken))
        {
            throw new InvalidOperationException($"Reminder {reminderName} of {grainId} changed while it was being unregistered; try again.");
        }

        if (_local.TryRemove((grainId, reminderName), out var local))
        {
            local.Dispose();
        }
        else
        {
            NotifyOwner(grainId.GetUniformHashCode());
        }
    }

    public async Task<IGrainReminder?> GetReminderAsync(GrainId grainId, string reminderName) =>
        await _table.ReadRowAsync(grainId, reminderName, _catalog.ShutdownToken) is { } row ? new GrainReminder(row.ReminderName) : null;

    public async Task<IReadOnlyList<IGrainReminder>> GetRemindersAsync(GrainId grainId) =>
        [.. (await _table.ReadRowsAsync(grainId, _catalog.ShutdownToken)).Select(r => new GrainReminder(r.ReminderName))];

    // Through the router: this silo fires the reminder, but the grain may live on another silo.
    internal Task DeliverAsync(ReminderEntry entry, TickStatus status) =>
        _invoker.Value.InvokeAsync(entry.GrainId, s_receiveReminder, [entry.ReminderName, status]);

    /// <summary>
    /// This silo's part of the ring. Before the protocol has read any membership (a lone silo in tests) it is the
    /// whole ring; a silo that is not Active fires nothing.
    /// </summary>
    private (uint Begin, uint End)? MyRange()
    {
        var active = _view.ActiveSilos;
        return active.Count == 0 && _view.Current.Entries.Count == 0 ? (0, 0) : ReminderRing.RangeOf(_catalog.SiloAddress, active);
    }

    private void Schedule(ReminderEntry entry, DateTime? lastDeliveredTick)
    {
        GrainClass grainClass;
        try
        {
            grainClass = _registry.ForGrainId(entry.GrainId);
        }
        catch (GrainActivationException)
        {
            LogUnknownGrainType(entry.GrainId, entry.ReminderName);
            return;
        }

        if (!grainClass.IsRemindable)
        {
            LogUnknownGrainType(entry.GrainId, entry.ReminderName);
            return;
        }

        var reminder = new LocalReminder(this, entry, lastDeliveredTick, _logger);
        _local.AddOrUpdate((entry.GrainId, entry.ReminderName), reminder, (_, old) =>
        {
            old.Dispose();
            return reminder;
        });
    }

    private async Task RefreshLoggingFailuresAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogRefreshFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {ReminderName} of {GrainId} is not fired: no remindable grain class is registered for it")]
    private partial void LogUnknownGrainType(GrainId grainId, string reminderName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell {Silo} to refresh its reminders: {Reason}")]
    private partial void LogNotifyFailed(SiloAddress silo, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the reminders table failed; will retry")]
    private partial void LogRefreshFailed(Exception exception);
}
