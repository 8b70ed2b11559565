using Failover.Agents.Topology;
using Failover.Storage.Events;
using Orleans;
using Orleans.Runtime;
using Failover.Hosting.Membership;
using Failover.Hosting.Leases;
using Failover.Storage.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Failover.Hosting.Directory;
using Orleans.Storage;
using Failover.Hosting.Reminders;
using Failover.Hosting.Placement;
using Orleans.GrainDirectory;

namespace Failover.Agents.DirectorClusters;

/// <summary>
/// The witness of one director agent cluster: a thin shell around <see cref="DirectorClusterMachine"/>. Every changed
/// record is written (fenced by this activation's epoch) before the answer that depends on it leaves the grain; events
/// follow. A timer judges heartbeats; a reminder brings the grain back on another silo when its silo dies.
/// Heartbeats never wait for an operator's command: a switch-over asks the job dispatchers whether a job runs on the
/// active director's node interleaved with everything else (see <see cref="SwitchOver"/>), for at most
/// <see cref="AgentOptions.SwitchOverCheckTimeout"/>. Whatever reads or changes the machine, and writes what it changed, runs as one
/// turn after the one before it (<see cref="InTurnAsync"/>), so that interleaving never lets two of them overlap.
/// </summary>
[GrainType(DirectorClusterPlacement.GrainType)]
[NodeRulePlacement]
[GrainDirectory(Fenced.Directory)]
public sealed partial class DirectorClusterGrain(
    [PersistentState("director", Fenced.Storage)] IPersistentState<DirectorClusterRecord> state,
    [PersistentState("watch", Fenced.Storage)] IPersistentState<WatchTicks> watch,
    TopologyView topology,
    MembershipView membership,
    IClusterEventLog events,
    IDirectorWorkload workload,
    IOptions<AgentOptions> options,
    NodeLease lease,
    TimeProvider timeProvider,
    ILogger<DirectorClusterGrain> logger) : Grain, IDirectorClusterGrain, IRemindable
{
    private const string WatchReminder = "watch";
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(1);

    // The end of the last turn of the machine: the grain is not reentrant, but SwitchOver interleaves.
    private Task _turn = Task.CompletedTask;

    private DirectorClusterMachine? _machine;
    private AgentClusterSpec? _spec;
    private IGrainTimer? _timer;

    // When the machine last started watching anew after a pause of the witness's own, to log it once.
    private TimeSpan _watchingSince;

    private string AgentId => this.GetPrimaryKeyString();

    private DirectorClusterMachine Machine => _machine ?? throw new InvalidOperationException("The director cluster grain is not active.");

    private AgentClusterSpec Spec => _spec ?? throw new InvalidOperationException("The director cluster grain is not active.");

    private TimeSpan Now => MonotonicClock.Now(timeProvider);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (topology.Current.FindAgentCluster(AgentId) is null)
        {
            await topology.CatchUpAsync(GrainFactory, cancellationToken);
        }

        _spec = topology.Current.FindAgentCluster(AgentId)
            ?? throw new InvalidOperationException($"agent cluster '{AgentId}' is not in the topology (version {topology.Version})");
        _machine = new DirectorClusterMachine(AgentId, state.State, SettingsOf(_spec), Now);
        _watchingSince = _machine.WatchingSince;
        if (!state.RecordExists)
        {
            await state.WriteStateAsync(cancellationToken);
            await RecordAsync(
                [new DirectorClusterEvent(DirectorEventKinds.Appointed, $"primary on {_spec.PrimaryNode}, secondary on {_spec.SecondaryNode}")],
                cancellationToken);
        }

        _timer = this.RegisterLeasedTimer(lease, TickAsync, _spec.Heartbeat, _spec.Heartbeat);
        if (await this.GetReminder(WatchReminder, cancellationToken) is null)
        {
            await this.RegisterOrUpdateReminder(WatchReminder, WatchPeriod, WatchPeriod, cancellationToken);
        }

        LogActivated(AgentId, state.State.State, state.State.Epoch);
    }

    public Task<DirectorAssignment> Heartbeat(DirectorHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return InTurnAsync(async () =>
        {
            if (membership.IsDead(heartbeat.Incarnation))
            {
                // Sent before its silo froze, or after it resumed: a Dead silo's instance gets no role.
                var dead = Machine.SiloDead(heartbeat.Incarnation, Now);
                await ApplyAsync(dead, CancellationToken.None);
                return new DirectorAssignment(DirectorRole.Standby, dead.Record.Epoch, dead.Record.State, Spec.HeartbeatTimeout);
            }

            var step = Machine.Heartbeat(heartbeat, Now);
            await ApplyAsync(step, CancellationToken.None);
            return step.Assignment!;
        });
    }

    public Task Stopping(DirectorInstance instance, string incarnation, bool failOver) =>
        InTurnAsync(async () =>
        {
            await ApplyAsync(Machine.InstanceStopping(instance, incarnation, failOver, Now), CancellationToken.None);
            return true;
        });

    /// <summary>
    /// Interleaved with everything else (<c>[AlwaysInterleave]</c>): asking the job dispatchers takes no turn, so
    /// heartbeats go on being answered while they answer. A dispatcher that does not answer within
    /// <see cref="AgentOptions.SwitchOverCheckTimeout"/>, or cannot be asked, refuses the switch-over: whether a job runs on the
    /// active director's own subagent is unknown. The decision and its write then take a turn like any other input.
    /// </summary>
    public async Task<CommandOutcome> SwitchOver()
    {
        var activeNode = Spec.NodeOf(Machine.Record.Active);
        var timeout = options.Value.SwitchOverCheckTimeout;
        int running;
        using (var deadline = new CancellationTokenSource(timeout, timeProvider))
        {
            try
            {
                running = await workload.RunningTasksOnNodeAsync(AgentId, activeNode, deadline.Token).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                LogSwitchOverUnchecked(AgentId, activeNode, "no answer in time");
                return new CommandOutcome(false,
                    $"{AgentId}: switch-over refused: the job dispatchers did not tell within {DurationText.Format(timeout)} whether a job runs on {activeNode}, the active director's node; try again");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSwitchOverUnchecked(AgentId, activeNode, exception.Message);
                return new CommandOutcome(false,
                    $"{AgentId}: switch-over refused: the job dispatchers could not be asked whether a job runs on {activeNode}, the active director's node ({exception.Message}); try again");
            }
        }

        return await InTurnAsync(async () =>
        {
            if (Spec.NodeOf(Machine.Record.Active) != activeNode)
            {
                // The role moved while the dispatchers answered: their count is for the node that was active.
                return new CommandOutcome(false, $"{AgentId}: switch-over refused: the active director changed while the job dispatchers were asked; try again");
            }

            var step = Machine.SwitchOver(running, Now);
            await ApplyAsync(step, CancellationToken.None);
            return step.Refused
                ? new CommandOutcome(false, step.Refusal!)
                : new CommandOutcome(true, $"{AgentId}: switch-over from {step.Record.Active.ToName()} to {step.Record.Standby.ToName()} under way (epoch {step.Record.Epoch})");
        });
    }

    public Task<CommandOutcome> ConfirmLoss(DirectorInstance instance) =>
        InTurnAsync(async () =>
        {
            var step = Machine.ConfirmLoss(instance, Now);
            await ApplyAsync(step, CancellationToken.None);
            return step.Refused
                ? new CommandOutcome(false, step.Refusal!)
                : new CommandOutcome(true, $"{AgentId}: loss of {instance.ToName()} confirmed; {step.Record.Active.ToName()} becomes active with epoch {step.Record.Epoch}");
        });

    public Task<DirectorClusterView> GetView() => InTurnAsync(() => Task.FromResult(View()));

    private DirectorClusterView View()
    {
        var now = Now;
        var record = Machine.Record;
        var activeRole = record.ActiveRoleOpen && record.EpochHandedOut;
        var instances = new[] { DirectorInstance.Primary, DirectorInstance.Secondary }.Select(instance =>
        {
            Machine.Observations.TryGetValue(instance, out var seen);
            var role = instance == record.Active && activeRole ? "active" : "standby";
            return new DirectorInstanceView(
                instance.ToName(),
                Spec.NodeOf(instance),
                seen is { Gone: true } ? "gone" : role,
                seen is null ? null : (long)(now - seen.LastHeard).TotalMilliseconds,
                seen?.Incarnation);
        }).ToList();
        return new DirectorClusterView(
            AgentId,
            record.State.ToString(),
            record.Active.ToName(),
            Spec.NodeOf(record.Active),
            record.Standby.ToName(),
            record.Epoch,
            record.State == DirectorClusterState.Coupled,
            record.SwitchPending,
            instances);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Orleans drops the ticks nobody could deliver (the witness's silo died, the ring moved) without a word.
        if (MissedTicks.Count(watch.State.LastTick, status) is > 0 and var missed)
        {
            LogMissedTicks(AgentId, missed, watch.State.LastTick);
        }

        watch.State.LastTick = status.CurrentTickTime;
        try
        {
            await watch.WriteStateAsync();
        }
        catch (InconsistentStateException exception)
        {
            LogWriteFailed(AgentId, exception.Message);
            _machine = null;
            DeactivateOnIdle();
            throw;
        }

        await TickAsync(CancellationToken.None);
    }

    private Task TickAsync(CancellationToken cancellationToken) =>
        InTurnAsync(async () =>
        {
            await TickInTurnAsync(cancellationToken);
            return true;
        });

    private async Task TickInTurnAsync(CancellationToken cancellationToken)
    {
        if (topology.Current.FindAgentCluster(AgentId) is not { } spec)
        {
            // The agent cluster left the topology: stop watching it.
            if (await this.GetReminder(WatchReminder, cancellationToken) is { } reminder)
            {
                await this.UnregisterReminder(reminder, cancellationToken);
            }

            DeactivateOnIdle();
            return;
        }

        if (spec != _spec)
        {
            ApplySettings(spec);
        }

        var now = Now;
        var step = Machine.Tick(now);
        // The incarnations heard, and those the record names (a fresh witness has heard nobody yet).
        var incarnations = Machine.Observations.Values.Where(o => !o.Gone).Select(o => o.Incarnation)
            .Append(Machine.Record.ActiveIncarnation)
            .Append(Machine.Record.CoupledStandbyIncarnation)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var incarnation in incarnations)
        {
            if (membership.IsDead(incarnation))
            {
                step = Combine(step, Machine.SiloDead(incarnation, now));
            }
        }

        await ApplyAsync(step, cancellationToken);
    }

    private void ApplySettings(AgentClusterSpec spec)
    {
        var heartbeatChanged = spec.Heartbeat != Spec.Heartbeat;
        _spec = spec;
        Machine.Settings = SettingsOf(spec);
        if (heartbeatChanged)
        {
            _timer?.Dispose();
            _timer = this.RegisterLeasedTimer(lease, TickAsync, spec.Heartbeat, spec.Heartbeat);
        }

        LogSettings(AgentId, spec.Heartbeat.TotalMilliseconds, spec.HeartbeatTimeout.TotalMilliseconds, spec.RequireFailoverConfirmation);
    }

    /// <summary>Runs <paramref name="work"/> as one turn of the machine: no other input reads or changes it meanwhile.</summary>
    private async Task<T> InTurnAsync<T>(Func<Task<T>> work)
    {
        // Calls run on the grain's one scheduler, so taking the place in line needs no lock.
        var previous = _turn;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _turn = done.Task;
        try
        {
            await previous;
            return await work();
        }
        finally
        {
            done.SetResult();
        }
    }

    private async Task ApplyAsync(DirectorStep step, CancellationToken cancellationToken)
    {
        if (Machine.WatchingSince != _watchingSince)
        {
            _watchingSince = Machine.WatchingSince;
            LogWatchingAnew(AgentId, (long)Machine.LastPause.TotalMilliseconds, (long)Spec.HeartbeatTimeout.TotalMilliseconds);
        }

        if (step.Changed)
        {
            state.State = step.Record;
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch (Exception exception)
            {
                // The machine already holds the unwritten record: nothing may be answered from it. This activation
                // goes; the next one starts from what is durable (the write may or may not have committed).
                LogWriteFailed(AgentId, exception.Message);
                _machine = null;
                DeactivateOnIdle();
                throw;
            }
        }

        await RecordAsync(step.Events, cancellationToken);
    }

    private async Task RecordAsync(IReadOnlyList<DirectorClusterEvent> happened, CancellationToken cancellationToken)
    {
        foreach (var happening in happened)
        {
            LogEvent(AgentId, happening.Kind, happening.Detail);
            try
            {
                await events.AppendAsync(AgentId, happening.Kind, happening.Detail, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The role state is already durable; an event the database refused is still in the silo's log.
                LogEventLost(AgentId, happening.Kind, exception.Message);
            }
        }
    }

    private static DirectorStep Combine(DirectorStep first, DirectorStep second) =>
        second with { Changed = first.Changed || second.Changed, Events = [.. first.Events, .. second.Events] };

    private static DirectorClusterSettings SettingsOf(AgentClusterSpec spec) => new(spec.HeartbeatTimeout, spec.RequireFailoverConfirmation, spec.Heartbeat);

    [LoggerMessage(Level = LogLevel.Information, Message = "Director cluster {Agent} witness active: {State}, epoch {Epoch}")]
    private partial void LogActivated(string agent, DirectorClusterState state, long epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Director cluster {Agent}: heartbeat {HeartbeatMs} ms, timeout {TimeoutMs} ms, confirmation {RequireConfirmation}")]
    private partial void LogSettings(string agent, double heartbeatMs, double timeoutMs, bool requireConfirmation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Director cluster {Agent}: {Kind}: {Detail}")]
    private partial void LogEvent(string agent, string kind, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Director cluster {Agent}: its record could not be written ({Reason}); the witness deactivates and starts again from the stored record")]
    private partial void LogWriteFailed(string agent, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Director cluster {Agent}: the witness took no input for {PauseMs} ms (its own pause: its silo lost the database, or a write held its turn); it judges nobody lost before it has watched again for the heartbeat timeout ({TimeoutMs} ms)")]
    private partial void LogWatchingAnew(string agent, long pauseMs, long timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Director cluster {Agent}: {Missed} watch reminder ticks were missed since {LastTick:O}")]
    private partial void LogMissedTicks(string agent, long missed, DateTime? lastTick);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Director cluster {Agent}: switch-over refused, what runs on {Node} is unknown: {Reason}")]
    private partial void LogSwitchOverUnchecked(string agent, string node, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Director cluster {Agent}: event {Kind} could not be recorded: {Reason}")]
    private partial void LogEventLost(string agent, string kind, string reason);
}
