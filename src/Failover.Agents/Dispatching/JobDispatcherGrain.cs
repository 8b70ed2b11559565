using Failover.Agents.DirectorClusters;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;
using Failover.Hosting.Membership;
using Failover.Hosting.Leases;
using Failover.Storage.Persistence;
using Failover.Storage.Records;
using Microsoft.Extensions.Logging;
using Failover.Hosting.Directory;
using Orleans.Concurrency;
using Orleans.GrainDirectory;
using Orleans.Storage;

namespace Failover.Agents.Dispatching;

/// <summary>
/// The job dispatcher grain: a thin shell around <see cref="DispatcherCore"/>. Reentrant, so that many submissions,
/// polls and reports share one database write (group commit): every change is written before the answer or the
/// command that depends on it leaves the grain. Subagents long-poll it for commands; a timer judges their heartbeats.
/// </summary>
[Reentrant]
[GrainDirectory(Fenced.Directory)]
public sealed partial class JobDispatcherGrain(
    [PersistentState("dispatcher", Fenced.Storage)] IPersistentState<DispatcherSettings> state,
    TopologyView topology,
    MembershipView membership,
    IRecordStore records,
    FencingTokens fencingTokens,
    NodeLease lease,
    TimeProvider timeProvider,
    ILogger<JobDispatcherGrain> logger) : Grain, IJobDispatcherGrain
{
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SettingsWritePeriod = TimeSpan.FromSeconds(1);

    private readonly OrderStore _orders = new(records);
    private Task _settingsWrite = Task.CompletedTask;
    private DispatcherCore? _core;
    private ActivationFence _fence;
    private Task? _flushing;
    private TaskCompletionSource _nextFlush = NewFlush();
    private TimeSpan _settingsWrittenAt;
    private IGrainTimer? _timer;
    private WriteStatistics _writes = new(0, 0, 0);

    private string Key => this.GetPrimaryKeyString();

    private DispatcherCore Core => _core ?? throw new InvalidOperationException("The job dispatcher grain is not active.");

    private TimeSpan Now => MonotonicClock.Now(timeProvider);

    private DateTime Utc => timeProvider.GetUtcNow().UtcDateTime;

    private TopologyDocument Topology => topology.Current;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Every order write carries this activation's claim: once another activation claims the dispatcher, they all fail.
        _fence = fencingTokens.FenceOf(this.GetGrainId())
            ?? throw new ActivationFencedException($"job dispatcher {Key} holds no claim in the fenced grain directory on this silo");
        var open = await _orders.ReadOpenAsync(Key, cancellationToken);
        _core = new DispatcherCore(Key, state.State, open, Now);
        _settingsWrittenAt = Now;
        // Interleaved: a tick must not wait for the subagents' parked polls, nor hold back submissions.
        _timer = this.RegisterLeasedTimer(lease, TickAsync, new GrainTimerCreationOptions(CheckPeriod, CheckPeriod) { Interleave = true });
        LogActivated(Key, open.Count, Core.Epoch);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<SubmitResult> Submit(OrderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Topology.FindJob(request.Job) is null)
        {
            // Applied a moment ago, perhaps, and not yet seen by this silo's watcher.
            await topology.CatchUpAsync(GrainFactory, CancellationToken.None);
        }

        var topologyNow = Topology;
        var job = topologyNow.FindJob(request.Job);
        if (Core.Find(request.Id) is { } held)
        {
            return await AnswerAsync(held, request, job);
        }

        if (job is not null && DispatcherKeys.ForJob(job) != Key)
        {
            return new SubmitResult(false, false, null, $"job {job.Id} is dispatched by {DispatcherKeys.ForJob(job)}, not {Key}");
        }

        var decision = OrderSubmissions.Decide(null, request, job, Utc);
        if (decision.Outcome == SubmitOutcome.Refused)
        {
            return new SubmitResult(false, false, null, decision.Refusal);
        }

        var entry = Core.Add(decision.Order!, Now);
        entry.Request = request;
        Core.Dispatch(Now, Utc, topologyNow, HeartbeatTimeout(topologyNow), full: false);
        await PersistAsync();
        return await AnswerAsync(entry, request, job);
    }

    public async Task<CommandOutcome> Cancel(string orderId)
    {
        if (Core.Find(orderId) is { } held)
        {
            var step = Core.Apply(held, OrderMachine.Cancel(held.Record, Utc), Now);
            await PersistAsync();
            return new CommandOutcome(step.Result != OrderStepResult.Refused, step.Detail ?? "");
        }

        return await _orders.ReadAsync(orderId, CancellationToken.None) switch
        {
            null => new CommandOutcome(false, $"there is no order {orderId}"),
            var (order, _) when order.State == OrderState.Cancelled => new CommandOutcome(true, $"order {orderId} is already Cancelled"),
            var (order, _) => new CommandOutcome(false, $"order {orderId} is already {order.State}; there is nothing to cancel"),
        };
    }

    public async Task<bool> Forget(string orderId)
    {
        if (Core.Find(orderId) is { } held)
        {
            if (!held.Record.State.IsTerminal())
            {
                return false;
            }

            await PersistAsync();
        }

        if (await _orders.ReadAsync(orderId, CancellationToken.None) is not var (order, stored) || !order.State.IsTerminal())
        {
            return false;
        }

        try
        {
            return await _orders.DeleteAsync(orderId, stored.Version, _fence, CancellationToken.None);
        }
        catch (StaleDispatcherException exception)
        {
            LogStale(Key, exception.Message);
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task<PollAnswer> Poll(SubagentPoll poll)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var topologyNow = Topology;
        var changes = Core.Changes;
        Core.Heard(poll, Now, Utc, topologyNow);
        if (Core.Changes != changes)
        {
            // Re-attached or ended runs: durable before the answer that carries their epoch or kills.
            await PersistAsync();
        }

        // What a newly heard subagent can start goes out through its outbox once written; this poll does not wait
        // for that write (under load it would wait for a batch or two, and the subagent's free slots with it).
        Core.Dispatch(Now, Utc, topologyNow, HeartbeatTimeout(topologyNow), full: false);
        _ = ObserveAsync(PersistAsync());
        var link = Core.LinkOf(poll.Subagent)!;
        if (poll.Wait && !Core.HasCommands(poll.Subagent))
        {
            var ticket = ++link.ParkedPoll;
            var signal = link.Signal.Task;
            await Task.WhenAny(signal, Task.Delay(HeartbeatPeriod(topologyNow), timeProvider));
            if (link.ParkedPoll != ticket)
            {
                // A newer poll of the subagent took over: this answer would be thrown away.
                return new PollAnswer(Core.Epoch, Core.IsLeading(Now), [], []);
            }
        }

        var (start, kill) = Core.TakeCommands(poll, Topology);
        return new PollAnswer(Core.Epoch, Core.IsLeading(Now), start, kill);
    }

    public async Task<IReadOnlyList<RunRef>> Report(string subagent, IReadOnlyList<RunReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var topologyNow = Topology;
        foreach (var report in reports)
        {
            Core.Reported(subagent, report, Now, Utc, topologyNow);
        }

        Core.Dispatch(Now, Utc, topologyNow, HeartbeatTimeout(topologyNow), full: false);
        await PersistAsync();
        return [.. reports.Select(r => r.Run)];
    }

    public async Task<LeadReceipt> Lead(DirectorLead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var topologyNow = Topology;
        var epoch = Core.Epoch;
        var leading = Core.IsLeading(Now);
        if (!Core.Lead(lead, Now, Utc, topologyNow))
        {
            return new LeadReceipt(Core.Ticket(Now), Counted: false);
        }

        if ((Core.Epoch != epoch || !leading) && Core.IsLeading(Now))
        {
            LogLead(Key, lead.Agent, lead.Node, Core.Epoch, lead.State);
        }

        if (Core.Epoch != state.State.Epoch || Core.LeadNode != state.State.LeadNode)
        {
            // Written before anything is dispatched under it, so a re-activated dispatcher knows which node a fail-over lost.
            await WriteSettingsAsync();
        }

        var counted = Core.IsLeading(Now);
        Core.Dispatch(Now, Utc, topologyNow, HeartbeatTimeout(topologyNow), full: false);
        await PersistAsync();
        return new LeadReceipt(Core.Ticket(Now), counted);
    }

    public async Task<CommandOutcome> SetEnabled(string subagent, bool enabled)
    {
        if (DispatcherKeys.SetOf(Topology, Key).Candidates.All(c => c.Id != subagent))
        {
            return new CommandOutcome(false, $"subagent {subagent} is not one of dispatcher {Key}'s");
        }

        var changed = Core.SetEnabled(subagent, enabled);
        if (changed)
        {
            await WriteSettingsAsync();
        }

        var word = enabled ? "enabled" : "disabled";
        return new CommandOutcome(true, changed ? $"subagent {subagent} {word} for {Key}" : $"subagent {subagent} was already {word} for {Key}");
    }

    public Task<int> RunningOn(string node) => Task.FromResult(Core.RunningOnNode(node, Topology));

    public Task<DispatcherStatus> GetStatus()
    {
        var topologyNow = Topology;
        return Task.FromResult(new DispatcherStatus(
            Key, Core.Epoch, Core.IsLeading(Now), Core.LeadNode, Core.PendingCount, Core.ProcessingCount,
            Core.Subagents(topologyNow, Now, HeartbeatTimeout(topologyNow)))
        { Writes = _writes });
    }

    public Task<OrderRecord?> GetOrder(string orderId) => Task.FromResult(Core.View(orderId));

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var topologyNow = Topology;
        var timeout = HeartbeatTimeout(topologyNow);
        Core.Check(Now, Utc, topologyNow, timeout, incarnation => membership.IsDead(incarnation));
        Core.Dispatch(Now, Utc, topologyNow, timeout, full: true);
        try
        {
            await PersistAsync();
            if (Core.SettingsDirty && Now - _settingsWrittenAt >= SettingsWritePeriod)
            {
                await WriteSettingsAsync();
            }
        }
        catch (Exception exception) when (exception is not StaleDispatcherException)
        {
            LogWriteFailed(Key, exception.Message);
        }
    }

    private async Task<SubmitResult> AnswerAsync(OpenOrder entry, OrderRequest request, JobSpec? job)
    {
        var stored = await entry.Stored.Task;
        if (stored && ReferenceEquals(entry.Request, request))
        {
            return new SubmitResult(true, false, entry.WithWaitingNow(entry.LastWritten!), null);
        }

        var existing = stored ? entry.LastWritten! : OrderStore.Deserialize(entry.Conflict!);
        var decision = OrderSubmissions.Decide(existing, request, job, Utc);
        return decision.Outcome == SubmitOutcome.Refused
            ? new SubmitResult(false, false, null, decision.Refusal)
            : new SubmitResult(true, true, existing, null);
    }

    /// <summary>A write nobody waits for: its failure is logged (the orders stay dirty and go with the next batch).</summary>
    private async Task ObserveAsync(Task write)
    {
        try
        {
            await write;
        }
        catch (Exception exception) when (exception is not StaleDispatcherException)
        {
            LogWriteFailed(Key, exception.Message);
        }
        catch (StaleDispatcherException)
        {
            // Logged where it was found; the activation deactivates.
        }
    }

    /// <summary>Writes everything changed so far; callers await the batch that holds their changes.</summary>
    private Task PersistAsync()
    {
        if (!Core.HasBatch)
        {
            return Task.CompletedTask;
        }

        var written = _nextFlush.Task;
        if (_flushing is not { IsCompleted: false })
        {
            // A flush with nothing to write completes before the assignment: hence IsCompleted, not only null.
            _flushing = FlushAsync();
        }

        return written;
    }

    private async Task FlushAsync()
    {
        while (Core.HasBatch)
        {
            var done = _nextFlush;
            _nextFlush = NewFlush();
            var batch = Core.TakeBatch();
            try
            {
                var started = timeProvider.GetTimestamp();
                var results = await _orders.WriteBatchAsync(Key, batch, _fence, CancellationToken.None);
                if (batch.Writes.Count > 0)
                {
                    _writes = new WriteStatistics(_writes.Batches + 1, _writes.Orders + batch.Writes.Count, _writes.Milliseconds + timeProvider.GetElapsedTime(started).TotalMilliseconds);
                }

                foreach (var subagent in Core.Committed(batch, results))
                {
                    Core.LinkOf(subagent)?.Wake();
                }

                done.TrySetResult();
            }
            catch (StaleDispatcherException exception)
            {
                LogStale(Key, exception.Message);
                done.TrySetException(exception);
                DeactivateOnIdle();
                return;
            }
            catch (Exception exception)
            {
                Core.Failed(batch);
                done.TrySetException(exception);
                return;
            }
        }
    }

    private static TaskCompletionSource NewFlush() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Settings writes run one after another (turns interleave at awaits in this reentrant grain).</summary>
    private Task WriteSettingsAsync() => _settingsWrite = WriteSettingsAfterAsync(_settingsWrite);

    private async Task WriteSettingsAfterAsync(Task previous)
    {
        try
        {
            await previous;
        }
        catch (Exception exception) when (exception is not StaleDispatcherException)
        {
            // Its caller saw the failure; this write carries the newer settings anyway.
        }

        state.State = Core.Settings;
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException exception)
        {
            // Another activation wrote, or took this one's claim: this one must not dispatch any further.
            LogStale(Key, exception.Message);
            DeactivateOnIdle();
            throw;
        }

        Core.SettingsWritten();
        _settingsWrittenAt = Now;
    }

    private TimeSpan HeartbeatTimeout(TopologyDocument document) =>
        DispatcherKeys.AgentOf(document, Key) is { } agent && document.FindAgentCluster(agent) is { } spec ? spec.HeartbeatTimeout : DefaultHeartbeatTimeout;

    private TimeSpan HeartbeatPeriod(TopologyDocument document) =>
        DispatcherKeys.AgentOf(document, Key) is { } agent && document.FindAgentCluster(agent) is { } spec ? spec.Heartbeat : DefaultHeartbeat;

    [LoggerMessage(Level = LogLevel.Information, Message = "Job dispatcher {Dispatcher} active with {Open} open orders, epoch {Epoch}")]
    private partial void LogActivated(string dispatcher, int open, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job dispatcher {Dispatcher} follows the director of {Agent} on {Node} with epoch {Epoch} ({State})")]
    private partial void LogLead(string dispatcher, string agent, string node, long epoch, DirectorClusterState? state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job dispatcher {Dispatcher} could not write its orders: {Reason}")]
    private partial void LogWriteFailed(string dispatcher, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job dispatcher {Dispatcher} is stale and deactivates: {Reason}")]
    private partial void LogStale(string dispatcher, string reason);
}
