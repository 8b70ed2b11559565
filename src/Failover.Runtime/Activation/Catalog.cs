using System.Collections.Concurrent;
using Failover.Runtime.Configuration;
using Failover.Runtime.Directory;
using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Failover.Runtime.Invocation;
using Failover.Runtime.Membership;
using Failover.Runtime.Persistence;
using Failover.Runtime.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Activation;

/// <summary>
/// This silo's activations: finds or creates the activation a call goes to, collects idle ones and deactivates
/// all of them on shutdown. It is also what activations reach the rest of the runtime through.
/// </summary>
internal sealed partial class Catalog : IGrainCallInvoker, IDisposable
{
    // A request meets a deactivating activation at most a few times in a row; more means something is wrong.
    private const int MaxDispatchAttempts = 8;

    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly GrainTypeRegistry _registry;
    private readonly LocalSilo _localSilo;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lazy<ReminderService> _reminders;
    private readonly Lazy<IGrainFactory> _grainFactory;
    private readonly ILogger _logger;
    private volatile bool _stopping;

    public Catalog(
        IServiceProvider services,
        GrainTypeRegistry registry,
        LocalSilo localSilo,
        IGrainDirectoryTable directory,
        IGrainStateStore stateStore,
        IOptions<GrainOptions> options,
        LeaseGate lease,
        TimeProvider timeProvider,
        ILogger<Catalog> logger)
    {
        Lease = lease;
        Services = services;
        _registry = registry;
        _localSilo = localSilo;
        Directory = directory;
        StateStore = stateStore;
        Options = options.Value;
        TimeProvider = timeProvider;
        _logger = logger;
        _reminders = new Lazy<ReminderService>(services.GetRequiredService<ReminderService>);
        _grainFactory = new Lazy<IGrainFactory>(services.GetRequiredService<IGrainFactory>);
    }

    public IServiceProvider Services { get; }

    public LeaseGate Lease { get; }

    public IGrainDirectoryTable Directory { get; }

    public IGrainStateStore StateStore { get; }

    public GrainOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger => _logger;

    public SiloAddress SiloAddress => _localSilo.Address;

    public ReminderService Reminders => _reminders.Value;

    public IGrainFactory GrainFactory => _grainFactory.Value;

    /// <summary>Cancelled when the silo stops: activation work that would outlive it gives up.</summary>
    public CancellationToken ShutdownToken => _shutdown.Token;

    public int ActivationCount => _activations.Count;

    /// <summary>Set by a simulated crash: no turn runs any more.</summary>
    public bool IsAbandoned { get; private set; }

    /// <summary>Whether calls to the grain run here: it has an activation on this silo that is not gone.</summary>
    public bool HasActivation(GrainId grainId) =>
        _activations.TryGetValue(grainId, out var activation) && activation.State != ActivationState.Invalid;

    public async Task InvokeAsync(GrainId target, VoidGrainMethod method, object?[] arguments)
    {
        var request = new VoidGrainRequest(method, arguments, Deadline());
        Dispatch(target, request);
        await AwaitWithDeadline(request.Completion, target, method);
    }

    public async Task<T> InvokeAsync<T>(GrainId target, TypedGrainMethod<T> method, object?[] arguments)
    {
        var request = new TypedGrainRequest<T>(method, arguments, Deadline());
        Dispatch(target, request);
        await AwaitWithDeadline(request.Completion, target, method);
        return await request.Completion;
    }

    /// <summary>Hands work left in a deactivated activation's mailbox to a new activation.</summary>
    public void Forward(WorkItem item)
    {
        if (item is GrainRequest request)
        {
            Dispatch(request.Target, request);
        }
    }

    public void Remove(GrainActivation activation) =>
        _activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation));

    /// <summary>Asks every activation idle for longer than the collection age to deactivate. Returns how many.</summary>
    public int CollectIdleActivations()
    {
        var idleSince = TimeProvider.GetTimestamp() - (long)(Options.CollectionAge.TotalSeconds * TimeProvider.TimestampFrequency);
        var collected = 0;
        foreach (var activation in _activations.Values)
        {
            if (activation.IsIdleSince(idleSince))
            {
                activation.RequestDeactivation(DeactivationReason.Idle);
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Stops taking calls and running turns at once, without deactivating anything (a crash).</summary>
    public async Task AbandonAllAsync()
    {
        IsAbandoned = true;
        _stopping = true;
        await _shutdown.CancelAsync();
    }

    /// <summary>
    /// Stops taking calls and deactivates every activation (graceful shutdown). An activation stuck in a turn is
    /// waited for at most DeactivationTimeout: its directory entry is released with the rest, so any write it still
    /// attempts is fenced out.
    /// </summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var activations = _activations.Values.ToArray();
        foreach (var activation in activations)
        {
            activation.RequestDeactivation(DeactivationReason.ShuttingDown);
        }

        var all = Task.WhenAll(activations.Select(a => a.Completed));
        await Task.WhenAny(all, Task.Delay(Options.DeactivationTimeout, TimeProvider, cancellationToken));
        await _shutdown.CancelAsync();
        var stuck = activations.Where(a => !a.Completed.IsCompleted).Select(a => a.GrainId).ToList();
        if (stuck.Count > 0)
        {
            LogStuckActivations(stuck.Count, Options.DeactivationTimeout, string.Join(", ", stuck.Take(10)));
        }

        LogDeactivatedAll(activations.Length - stuck.Count);
    }

    private void Dispatch(GrainId target, GrainRequest request)
    {
        request.Target = target;
        if (_stopping)
        {
            request.Reject(new SiloUnavailableException($"Silo {SiloAddress} is shutting down."));
            return;
        }

        if (++request.DispatchAttempts > MaxDispatchAttempts)
        {
            request.Reject(new GrainActivationException($"No live activation of {target} could take the call after {MaxDispatchAttempts} attempts."));
            return;
        }

        if (!_activations.TryGetValue(target, out var activation))
        {
            GrainClass grainClass;
            try
            {
                grainClass = _registry.ForGrainId(target);
            }
            catch (GrainActivationException exception)
            {
                request.Reject(exception);
                return;
            }

            activation = _activations.GetOrAdd(target, new GrainActivation(target, grainClass, this));
        }

        if (!activation.TryEnqueue(request))
        {
            // The activation is deactivating: the next one may claim the grain only once this one has released it,
            // so the call waits for that and is then dispatched anew.
            activation.Completed.ContinueWith(
                static (_, state) =>
                {
                    var (catalog, target, request) = ((Catalog, GrainId, GrainRequest))state!;
                    catalog.Dispatch(target, request);
                },
                (this, target, request),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private long Deadline() =>
        TimeProvider.GetTimestamp() + (long)(Options.ResponseTimeout.TotalSeconds * TimeProvider.TimestampFrequency);

    private async Task AwaitWithDeadline(Task completion, GrainId target, GrainMethod method)
    {
        try
        {
            await completion.WaitAsync(Options.ResponseTimeout, TimeProvider);
        }
        catch (TimeoutException) when (!completion.IsCompleted)
        {
            throw new GrainCallTimeoutException(
                $"Call to {target}: {method.DisplayName} did not complete within {Options.ResponseTimeout.TotalSeconds:0.###} s.");
        }
    }

    public void Dispose() => _shutdown.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} activations did not deactivate within {Timeout}; abandoned: {GrainIds}")]
    private partial void LogStuckActivations(int count, TimeSpan timeout, string grainIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deactivated {Count} activations")]
    private partial void LogDeactivatedAll(int count);
}
