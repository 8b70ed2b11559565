using Failover.Runtime.Grains;
using Failover.Runtime.Persistence;
using Failover.Runtime.Timers;
using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Activation;

/// <summary>
/// The single activation of one grain on this silo: its mailbox, its scheduler and its lifecycle.
/// Turns run one at a time on <see cref="Scheduler"/>; a non-reentrant activation starts the next request only
/// when the previous one has completed.
/// </summary>
internal sealed partial class GrainActivation
{
    [ThreadStatic]
    private static GrainActivation? t_constructing;

    private readonly Lock _gate = new();
    private readonly Queue<WorkItem> _mailbox = new();
    private readonly List<GrainTimer> _timers = [];
    private readonly List<Task> _interleavedTurns = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private List<IPersistentStateBinding> _states = [];
    private ActivationState _state = ActivationState.Created;
    private bool _pumping;
    private object? _instance;
    private long _lastActivityTimestamp;
    private long _keepAliveUntilTimestamp;

    public GrainActivation(GrainId grainId, GrainClass grainClass, Catalog runtime)
    {
        GrainId = grainId;
        GrainClass = grainClass;
        Runtime = runtime;
        _logger = runtime.Logger;
        _lastActivityTimestamp = runtime.TimeProvider.GetTimestamp();
    }

    /// <summary>The activation whose grain is being constructed on this thread (read by Grain's constructor).</summary>
    internal static GrainActivation? Constructing => t_constructing;

    public GrainId GrainId { get; }

    public GrainClass GrainClass { get; }

    public Catalog Runtime { get; }

    public ActivationTaskScheduler Scheduler { get; } = new();

    public object Instance => _instance ?? throw new InvalidOperationException($"Grain {GrainId} is not activated.");

    /// <summary>The directory epoch this activation was granted: the fencing token of its durable writes.</summary>
    public long Epoch { get; private set; }

    public ActivationFence Fence => new(GrainId, Epoch);

    public ActivationState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Completes when the activation has become invalid (deactivated or failed to activate).</summary>
    public Task Completed => _completed.Task;

    public bool IsIdleSince(long timestamp)
    {
        lock (_gate)
        {
            return _state == ActivationState.Valid && !_pumping && _mailbox.Count == 0
                && Volatile.Read(ref _lastActivityTimestamp) <= timestamp
                && Volatile.Read(ref _keepAliveUntilTimestamp) <= Runtime.TimeProvider.GetTimestamp();
        }
    }

    /// <summary>Queues work. False when the activation no longer accepts any: the caller dispatches anew.</summary>
    public bool TryEnqueue(WorkItem item)
    {
        lock (_gate)
        {
            if (_state >= ActivationState.Deactivating)
            {
                return false;
            }

            _mailbox.Enqueue(item);
            if (_pumping)
            {
                return true;
            }

            _pumping = true;
        }

        _ = Task.Factory.StartNew(PumpAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();
        return true;
    }

    public void KeepAlive(TimeSpan duration) =>
        Volatile.Write(ref _keepAliveUntilTimestamp, Runtime.TimeProvider.GetTimestamp() + (long)(duration.TotalSeconds * Runtime.TimeProvider.TimestampFrequency));

    public void RequestDeactivation(DeactivationReason reason) => TryEnqueue(new DeactivationWorkItem(reason));

    internal void AddTimer(GrainTimer timer)
    {
        lock (_gate)
        {
            _timers.Add(timer);
        }
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private async Task PumpAsync()
    {
        if (_state == ActivationState.Created && !await ActivateAsync())
        {
            return;
        }

        while (true)
        {
            WorkItem? item;
            lock (_gate)
            {
                if (_state == ActivationState.Invalid || !_mailbox.TryDequeue(out item))
                {
                    _pumping = false;
                    return;
                }
            }

            if (GrainClass.IsReentrant && item.MayInterleave)
            {
                var turn = RunTurnAsync(item);
                if (!turn.IsCompleted)
                {
                    _interleavedTurns.Add(turn);
                }
            }
            else
            {
                await WaitForInterleavedTurnsAsync();
                await RunTurnAsync(item);
            }
        }
    }

    private async Task RunTurnAsync(WorkItem item)
    {
        try
        {
            if (Runtime.IsAbandoned)
            {
                item.Reject(new SiloUnavailableException($"Silo {Runtime.SiloAddress} is gone."));
                return;
            }

            if (!Runtime.Lease.IsValid)
            {
                await Runtime.Lease.WaitUntilValidAsync(Runtime.ShutdownToken);
            }

            await item.RunAsync(this);
        }
        catch (Exception exception)
        {
            LogTurnFailed(GrainId, exception);
        }
        finally
        {
            Volatile.Write(ref _lastActivityTimestamp, Runtime.TimeProvider.GetTimestamp());
        }
    }

    private async Task WaitForInterleavedTurnsAsync()
    {
        if (_interleavedTurns.Count == 0)
        {
            return;
        }

        await Task.WhenAll(_interleavedTurns);
        _interleavedTurns.Clear();
    }

    private async Task<bool> ActivateAsync()
    {
        var claimed = false;
        try
        {
            var entry = await Runtime.Directory.TryClaimAsync(GrainId, Runtime.SiloAddress, Runtime.ShutdownToken);
            if (entry.Owner != Runtime.SiloAddress)
            {
                throw new GrainOwnedElsewhereException(GrainId, entry.Owner!);
            }

            claimed = true;
            Epoch = entry.Epoch;
            t_constructing = this;
            try
            {
                (_instance, _states) = GrainClass.CreateInstance(Runtime.Services, this);
            }
            finally
            {
                t_constructing = null;
            }

            foreach (var state in _states)
            {
                await state.ReadAsync(Runtime.ShutdownToken);
            }

            if (_instance is Grain grain)
            {
                await grain.OnActivateAsync(Runtime.ShutdownToken);
            }

            lock (_gate)
            {
                _state = ActivationState.Valid;
            }

            LogActivated(GrainId, Epoch);
            return true;
        }
        catch (Exception exception)
        {
            LogActivationFailed(GrainId, exception);
            var reason = exception as GrainActivationException
                ?? exception as GrainOwnedElsewhereException as Exception
                ?? new GrainActivationException($"Activation of grain {GrainId} failed: {exception.Message}", exception);
            await FinishAsync(claimed, leftover => leftover.Reject(reason));
            return false;
        }
    }

    internal async Task DeactivateAsync(DeactivationReason reason)
    {
        lock (_gate)
        {
            if (_state != ActivationState.Valid)
            {
                return;
            }

            _state = ActivationState.Deactivating;
        }

        await WaitForInterleavedTurnsAsync();
        try
        {
            if (_instance is Grain grain)
            {
                using var timeout = new CancellationTokenSource(Runtime.Options.DeactivationTimeout, Runtime.TimeProvider);
                await grain.OnDeactivateAsync(reason, timeout.Token);
            }
        }
        catch (Exception exception)
        {
            LogDeactivationCallbackFailed(GrainId, exception);
        }

        LogDeactivated(GrainId, reason);
        await FinishAsync(releaseDirectory: reason != DeactivationReason.Fenced, Runtime.Forward);
    }

    /// <summary>Leaves the catalog, stops timers, releases the directory entry and hands leftover work on.</summary>
    private async Task FinishAsync(bool releaseDirectory, Action<WorkItem> handleLeftover)
    {
        GrainTimer[] timers;
        lock (_gate)
        {
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }

        if (releaseDirectory)
        {
            try
            {
                await Runtime.Directory.ReleaseAsync(GrainId, Runtime.SiloAddress, Epoch, CancellationToken.None);
            }
            catch (Exception exception)
            {
                // The entry stays ours until this silo is declared Dead or re-claims it; nothing unsafe.
                LogReleaseFailed(GrainId, exception);
            }
        }

        Runtime.Remove(this);
        WorkItem[] leftovers;
        lock (_gate)
        {
            _state = ActivationState.Invalid;
            leftovers = [.. _mailbox];
            _mailbox.Clear();
            _pumping = false;
        }

        _completed.TrySetResult();
        foreach (var leftover in leftovers)
        {
            handleLeftover(leftover);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Activated {GrainId} with epoch {Epoch}")]
    private partial void LogActivated(GrainId grainId, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activation of {GrainId} failed")]
    private partial void LogActivationFailed(GrainId grainId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    private partial void LogDeactivated(GrainId grainId, DeactivationReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OnDeactivateAsync of {GrainId} failed")]
    private partial void LogDeactivationCallbackFailed(GrainId grainId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the directory entry of {GrainId} failed")]
    private partial void LogReleaseFailed(GrainId grainId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A turn of {GrainId} failed outside any request")]
    private partial void LogTurnFailed(GrainId grainId, Exception exception);
}
