using Failover.Agents.Topology;

namespace Failover.Agents.DirectorClusters;

/// <summary>
/// The witness's decisions for one director agent cluster (JS7's rules), pure: inputs are heartbeats, stops, silo
/// deaths, user commands and the time (monotonic, as elapsed time); outputs are the new durable record, events and
/// the answer to a heartbeat.
/// <para>
/// Safety: an instance acts as active only until <c>send time of its last answered heartbeat + HeartbeatTimeout</c>
/// (see <see cref="DirectorLease"/>). The witness hands the role elsewhere only after it has not heard the active
/// for longer than that (or after its silo is Dead, or it stopped), so the two leases never overlap. A re-activated
/// witness has not heard anybody: it judges nobody lost until it has itself watched for HeartbeatTimeout, unless
/// the incarnation the record gave the role to stopped or is Dead.
/// </para>
/// <para>
/// Silence is the directors', never the witness's own: when no input at all reached the witness for longer than
/// <see cref="DirectorClusterSettings.DeafAfter"/> (its silo lost the database, so its calls and timer ticks were held
/// or refused; a write kept its turn waiting; its first calls after a re-activation waited), it watches anew from the
/// input that ends the pause, as a re-activated witness does: every instance gets a full heartbeat timeout from then.
/// Watching anew only ever delays a judgement, so it never shortens a lease. An alarm (NodeLossNotConfirmed for a lost
/// instance) is cleared with an event when that instance is heard again, and the return to Coupled is an event too.
/// </para>
/// <para>
/// The witness tracks every incarnation it hears separately: a late message of an older incarnation says nothing about
/// the current one. A new incarnation of the active instance gets the role (with a new epoch) only once the incarnation
/// holding it cannot act any more: it stopped, is Dead, or its lease ran out. A switch-over passes the role only once the
/// old active said it stepped down, is gone, or the lease it held when the switch began has run out.
/// </para>
/// </summary>
public sealed class DirectorClusterMachine
{
    private readonly string _agentId;
    private readonly Dictionary<DirectorInstance, InstanceObservation> _seen = [];
    private readonly Dictionary<(DirectorInstance Instance, string Incarnation), InstanceObservation> _incarnations = [];
    private readonly HashSet<DirectorInstance> _heardSinceWatching = [];
    private TimeSpan _watchingSince;
    private TimeSpan _lastInput;
    private TimeSpan _switchRequestedAt;
    private long _highestClaimedEpoch;
    private List<DirectorClusterEvent> _events = [];
    private bool _changed;

    public DirectorClusterMachine(string agentId, DirectorClusterRecord record, DirectorClusterSettings settings, TimeSpan now)
    {
        _agentId = agentId;
        Record = record;
        Settings = settings;
        _watchingSince = now;
        _lastInput = now;
        _switchRequestedAt = now;
    }

    public DirectorClusterRecord Record { get; private set; }

    public DirectorClusterSettings Settings { get; set; }

    public IReadOnlyDictionary<DirectorInstance, InstanceObservation> Observations => _seen;

    /// <summary>Since when the witness has listened without a pause of its own (its activation, or the end of its last deafness).</summary>
    public TimeSpan WatchingSince => _watchingSince;

    /// <summary>How long the pause of its own was that made the witness watch anew at <see cref="WatchingSince"/>; zero after its activation.</summary>
    public TimeSpan LastPause { get; private set; }

    private TimeSpan Timeout => Settings.HeartbeatTimeout;

    public DirectorStep Heartbeat(DirectorHeartbeat heartbeat, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        Listen(now);
        var instance = heartbeat.Instance;
        var key = (instance, heartbeat.Incarnation);
        _incarnations.TryGetValue(key, out var known);
        if (known is { Gone: true })
        {
            // A late heartbeat of an incarnation that stopped or was declared dead: it never acts again.
            return Finish(new DirectorAssignment(DirectorRole.Standby, Record.Epoch, Record.State, Timeout));
        }

        var lease = known is not null ? Max(known.Lease, Timeout) : Timeout;
        _seen[instance] = _incarnations[key] = new InstanceObservation(heartbeat.Incarnation, now, heartbeat.KnownEpoch, heartbeat.Acting) { Lease = lease };
        _heardSinceWatching.Add(instance);
        _highestClaimedEpoch = Math.Max(_highestClaimedEpoch, heartbeat.KnownEpoch);
        if (ConflictOf(heartbeat) is { } conflict)
        {
            EnterNodeLossNotConfirmed(null, DirectorEventKinds.ClaimsConflict, conflict);
        }

        if (instance == Record.Active && Record.State is DirectorClusterState.ActiveShutDown or DirectorClusterState.NodeLossNotConfirmed
            && (Record.State == DirectorClusterState.ActiveShutDown ? heartbeat.Incarnation != Record.ActiveIncarnation : Record.LostInstance == instance))
        {
            // The active is back (restarted after a normal stop, or heard again after its loss was suspected). The
            // incarnation that held the role stopped or was judged lost: a new incarnation need not wait for it.
            if (Record.State == DirectorClusterState.NodeLossNotConfirmed)
            {
                ClearLoss(heartbeat, now);
            }
            else
            {
                Update(Record with
                {
                    State = HeardStandby(now) ? DirectorClusterState.PreparedToBeCoupled : DirectorClusterState.PassiveLost,
                    LostInstance = null,
                    ActiveIncarnation = heartbeat.Incarnation == Record.ActiveIncarnation ? Record.ActiveIncarnation : null,
                });
            }
        }

        Evaluate(now);
        return Finish(AssignmentFor(heartbeat, now));
    }

    public DirectorStep Tick(TimeSpan now)
    {
        Listen(now);
        Evaluate(now);
        return Finish(null);
    }

    /// <summary>The instance's silo is stopping. Normally the active's stop is no loss (ActiveShutDown); with fail-over it is.</summary>
    public DirectorStep InstanceStopping(DirectorInstance instance, string incarnation, bool failOver, TimeSpan now)
    {
        Listen(now);
        MarkGone(instance, incarnation, now);
        if (!failOver && instance == Record.Active && Record.EpochHandedOut && !Record.SwitchPending
            && Record.State != DirectorClusterState.NodeLossNotConfirmed && incarnation == Record.ActiveIncarnation)
        {
            Update(Record with { State = DirectorClusterState.ActiveShutDown });
            Emit(DirectorEventKinds.ShutDown, $"{instance.ToName()} stopped normally; no fail-over, it resumes as active when it is back");
        }

        Evaluate(now);
        return Finish(null);
    }

    /// <summary>The membership table shows the silo of <paramref name="incarnation"/> Dead: that instance is lost at once.</summary>
    public DirectorStep SiloDead(string incarnation, TimeSpan now)
    {
        Listen(now);
        foreach (var instance in (DirectorInstance[])[DirectorInstance.Primary, DirectorInstance.Secondary])
        {
            // Heard by this witness, or (for a freshly re-activated witness) the incarnation its record names.
            if (_incarnations.ContainsKey((instance, incarnation))
                || (instance == Record.Active ? Record.ActiveIncarnation : Record.CoupledStandbyIncarnation) == incarnation)
            {
                MarkGone(instance, incarnation, now);
            }
        }

        Evaluate(now);
        return Finish(null);
    }

    /// <summary>A user's switch-over. <paramref name="jobsOnActiveNode"/>: tasks running on the active director's own subagents.</summary>
    public DirectorStep SwitchOver(int jobsOnActiveNode, TimeSpan now)
    {
        Listen(now);
        Evaluate(now);
        var refusal = Record switch
        {
            { SwitchPending: true } => $"{_agentId}: a switch-over is already in progress",
            { State: not DirectorClusterState.Coupled } => $"{_agentId} is {Record.State}, not Coupled: switch-over needs a coupled standby",
            _ when !Heard(Record.Active, now) => $"{_agentId}: the active director {Record.Active.ToName()} is not heartbeating",
            _ when !HeardStandby(now) => $"{_agentId}: the standby director {Record.Standby.ToName()} is not heartbeating",
            _ when jobsOnActiveNode > 0 => $"{_agentId}: {jobsOnActiveNode} job(s) run on the active director's own subagent; wait for them or cancel them",
            _ => null,
        };
        if (refusal is not null)
        {
            return Finish(null, refusal);
        }

        // The old active learns the new epoch as standby and stops acting; the role passes once it has said so.
        _switchRequestedAt = now;
        Update(Record with { SwitchPending = true, Epoch = Record.Epoch + 1, EpochHandedOut = false, CoupledStandbyIncarnation = null });
        Emit(DirectorEventKinds.SwitchOverRequested, $"active role to pass from {Record.Active.ToName()} to {Record.Standby.ToName()}, epoch {Record.Epoch}");
        Evaluate(now);
        return Finish(null);
    }

    /// <summary>A user names the lost instance; the other one becomes active with a new epoch.</summary>
    public DirectorStep ConfirmLoss(DirectorInstance lost, TimeSpan now)
    {
        Listen(now);
        Evaluate(now);
        var refusal = Record.State != DirectorClusterState.NodeLossNotConfirmed
            ? $"{_agentId} is {Record.State}: confirm-loss is only accepted in NodeLossNotConfirmed"
            : Heard(lost, now)
                ? $"{_agentId}: {lost.ToName()} is heartbeating (last heard {(now - LastHeard(lost)).TotalMilliseconds:0} ms ago); only a silent instance can be confirmed lost"
                : !KnownLost(lost, now)
                    ? $"{_agentId}: the witness has watched for {(now - _watchingSince).TotalMilliseconds:0} ms only; retry after the heartbeat timeout ({Timeout.TotalMilliseconds:0} ms)"
                    : null;
        if (refusal is not null)
        {
            return Finish(null, refusal);
        }

        var survivor = lost.Other();
        Update(Record with
        {
            State = DirectorClusterState.FailedOver,
            Active = survivor,
            Epoch = Math.Max(Record.Epoch, _highestClaimedEpoch) + 1,
            EpochHandedOut = false,
            // If the survivor already held the role, its incarnation keeps it (a new one waits until that one's lease ran out).
            ActiveIncarnation = survivor == Record.Active ? Record.ActiveIncarnation : null,
            CoupledStandbyIncarnation = null,
            SwitchPending = false,
            LostInstance = lost,
        });
        Emit(DirectorEventKinds.LossConfirmed, $"a user confirmed the loss of {lost.ToName()}");
        Emit(DirectorEventKinds.FailedOver, $"lost {lost.ToName()}; {survivor.ToName()} active with epoch {Record.Epoch}");
        Evaluate(now);
        return Finish(null);
    }

    /// <summary>Whether the witness has heard an incarnation of <paramref name="instance"/> within its lease (at least the heartbeat timeout).</summary>
    public bool Heard(DirectorInstance instance, TimeSpan now) =>
        _incarnations.Any(o => o.Key.Instance == instance && Live(o.Value, now));

    private bool HeardStandby(TimeSpan now) => Heard(Record.Standby, now);

    private bool Live(InstanceObservation observation, TimeSpan now) =>
        !observation.Gone && now - observation.LastHeard <= Max(observation.Lease, Timeout);

    private bool HeardIncarnation(DirectorInstance instance, string? incarnation, TimeSpan now) =>
        incarnation is not null && _incarnations.TryGetValue((instance, incarnation), out var observation) && Live(observation, now);

    /// <summary>The most recently heard incarnation of <paramref name="instance"/> that is still within its lease.</summary>
    private InstanceObservation? LatestLive(DirectorInstance instance, TimeSpan now) =>
        _seen.TryGetValue(instance, out var latest) && Live(latest, now)
            ? latest
            : _incarnations.Where(o => o.Key.Instance == instance && Live(o.Value, now)).Select(o => o.Value).MaxBy(o => o.LastHeard);

    /// <summary>The standby heard last is the incarnation that acknowledged the current epoch while the active was alive.</summary>
    private bool StandbyCoupled(TimeSpan now) =>
        Record.CoupledStandbyIncarnation is { } coupled && LatestLive(Record.Standby, now)?.Incarnation == coupled;

    private bool IsGone(DirectorInstance instance, string incarnation) =>
        _incarnations.TryGetValue((instance, incarnation), out var observation) && observation.Gone;

    private TimeSpan LastHeard(DirectorInstance instance) =>
        _incarnations.Where(o => o.Key.Instance == instance).Select(o => o.Value.LastHeard).DefaultIfEmpty(_watchingSince).Max();

    /// <summary>
    /// Lost: no incarnation heard within its lease, and every lease handed out before this witness last started watching
    /// (its activation, or the end of a pause of its own) has run out (it has watched for the timeout since) or belongs to
    /// an incarnation that stopped or is Dead.
    /// </summary>
    private bool KnownLost(DirectorInstance instance, TimeSpan now)
    {
        if (Heard(instance, now))
        {
            return false;
        }

        if (now - _watchingSince > Timeout)
        {
            return true;
        }

        // Only the incarnation the record gave the role to can hold a lease from before; for the other instance (or
        // while nobody holds the role) a stop or death is loss enough.
        var holder = instance == Record.Active ? Record.ActiveIncarnation : null;
        return holder is not null
            ? IsGone(instance, holder)
            : _incarnations.Any(o => o.Key.Instance == instance && o.Value.Gone);
    }

    /// <summary>
    /// Whether the witness cannot tell yet whether <paramref name="instance"/> is there: it has heard no incarnation of it
    /// since it started watching, and has not watched for the timeout. A new incarnation (a restart) may be on its way:
    /// no alarm about the instance before the witness has given it that time, whatever its record says.
    /// </summary>
    private bool Unheard(DirectorInstance instance, TimeSpan now) =>
        !_heardSinceWatching.Contains(instance) && now - _watchingSince <= Timeout;

    /// <summary>Whether <paramref name="incarnation"/> of the active instance may still act on a lease it was given.</summary>
    private bool MayStillAct(string incarnation, TimeSpan now) =>
        _incarnations.TryGetValue((Record.Active, incarnation), out var observation)
            ? Live(observation, now)
            : now - _watchingSince <= Timeout;

    /// <summary>
    /// Every input passes here first. A pause longer than <see cref="DirectorClusterSettings.DeafAfter"/> since the
    /// previous input was the witness's own: what it did not hear meanwhile is no instance's silence, so it watches anew.
    /// </summary>
    private void Listen(TimeSpan now)
    {
        if (now - _lastInput > Settings.DeafAfter)
        {
            LastPause = now - _lastInput;
            _watchingSince = Max(_watchingSince, now);
            _heardSinceWatching.Clear();
        }

        _lastInput = Max(_lastInput, now);
    }

    private void Evaluate(TimeSpan now)
    {
        var record = Record;
        if (record.State is DirectorClusterState.NodeLossNotConfirmed or DirectorClusterState.ActiveShutDown)
        {
            return;
        }

        if (record.SwitchPending)
        {
            EvaluateSwitch(now);
            return;
        }

        if (!record.EpochHandedOut && record.State == DirectorClusterState.NodesAppointed)
        {
            return; // Nobody has been active yet: there is nothing to lose.
        }

        if (KnownLost(record.Active, now))
        {
            EvaluateActiveLost(now);
            return;
        }

        var standby = record.Standby;
        if (LatestLive(standby, now) is { } observation)
        {
            if (observation.Incarnation == record.CoupledStandbyIncarnation)
            {
                // Coupled again (e.g. after a suspected loss was cleared) once the incarnation holding the role is heard too.
                var holderHeard = HeardIncarnation(record.Active, record.ActiveIncarnation, now);
                if (record.State != DirectorClusterState.Coupled && (holderHeard || record.ActiveIncarnation is null))
                {
                    Update(record with { State = DirectorClusterState.Coupled });
                    if (holderHeard)
                    {
                        Emit(DirectorEventKinds.Coupled, $"{record.Active.ToName()} active, {standby.ToName()} standby, epoch {record.Epoch}");
                    }
                }
            }
            else if (record.EpochHandedOut && HeardIncarnation(record.Active, record.ActiveIncarnation, now)
                && observation.KnownEpoch == record.Epoch && observation.Acting == DirectorRole.Standby)
            {
                Update(record with { State = DirectorClusterState.Coupled, CoupledStandbyIncarnation = observation.Incarnation });
                Emit(DirectorEventKinds.Coupled, $"{record.Active.ToName()} active, {standby.ToName()} standby, epoch {record.Epoch}");
            }
            else if (record.State is DirectorClusterState.Coupled or DirectorClusterState.PassiveLost or DirectorClusterState.NodesAppointed)
            {
                Update(record with { State = DirectorClusterState.PreparedToBeCoupled, CoupledStandbyIncarnation = null });
            }
        }
        else if (KnownLost(standby, now) && record.State is DirectorClusterState.Coupled or DirectorClusterState.PreparedToBeCoupled)
        {
            Update(record with { State = DirectorClusterState.PassiveLost, CoupledStandbyIncarnation = null });
            Emit(DirectorEventKinds.PassiveLost, $"standby {standby.ToName()} lost; {record.Active.ToName()} goes on alone");
        }
    }

    /// <summary>
    /// The all-clear of a suspected loss: the active judged lost is heard again. The standby goes on as it was
    /// (coupled if it still is), or is lost too if the witness has not heard it for the timeout either.
    /// </summary>
    private void ClearLoss(DirectorHeartbeat heartbeat, TimeSpan now)
    {
        var record = Record;
        var name = heartbeat.Instance.ToName();
        var same = heartbeat.Incarnation == record.ActiveIncarnation;
        var standbyLost = !HeardStandby(now) && KnownLost(record.Standby, now);
        Update(record with
        {
            State = standbyLost ? DirectorClusterState.PassiveLost : DirectorClusterState.PreparedToBeCoupled,
            LostInstance = null,
            ActiveIncarnation = same ? record.ActiveIncarnation : null,
            CoupledStandbyIncarnation = standbyLost ? null : record.CoupledStandbyIncarnation,
        });
        Emit(DirectorEventKinds.LossCleared, same
            ? $"{name} ({heartbeat.Incarnation}) is heard again: the alarm is cleared, it stays active with epoch {record.Epoch}"
            : $"{name} is heard again as a new incarnation ({heartbeat.Incarnation}): the alarm is cleared, it becomes active with a new epoch");
        if (standbyLost)
        {
            Emit(DirectorEventKinds.PassiveLost, $"standby {record.Standby.ToName()} lost; {name} goes on alone");
        }
    }

    private void EvaluateActiveLost(TimeSpan now)
    {
        var record = Record;
        var standby = record.Standby;
        var coupled = StandbyCoupled(now);
        if (coupled && !Settings.RequireFailoverConfirmation)
        {
            Update(record with
            {
                State = DirectorClusterState.FailedOver,
                Active = standby,
                Epoch = record.Epoch + 1,
                EpochHandedOut = false,
                ActiveIncarnation = null,
                CoupledStandbyIncarnation = null,
                LostInstance = record.Active,
            });
            Emit(DirectorEventKinds.FailedOver, $"lost {record.Active.ToName()}; {standby.ToName()} active with epoch {Record.Epoch}");
            return;
        }

        if (Unheard(record.Active, now))
        {
            return;
        }

        var reason = coupled
            ? "the agent cluster requires fail-over confirmation"
            : $"the standby {standby.ToName()} was not coupled";
        EnterNodeLossNotConfirmed(record.Active, DirectorEventKinds.NodeLossNotConfirmed, $"active {record.Active.ToName()} lost and {reason}; confirm the loss to fail over");
    }

    private void EvaluateSwitch(TimeSpan now)
    {
        var record = Record;
        var old = record.Active;
        // The holder got no Active answer since the switch began: its lease runs out at the latest one lease after that.
        // A freshly re-activated witness counts from its activation (the previous one answered before it crashed).
        var holder = record.ActiveIncarnation;
        var observation = holder is null ? null : _incarnations.GetValueOrDefault((old, holder));
        var steppedDown = holder is null
            || observation is { Gone: true }
            || observation is { Acting: DirectorRole.Standby } && observation.KnownEpoch >= record.Epoch
            || now - _switchRequestedAt > Max(observation?.Lease ?? Timeout, Timeout);
        if (!steppedDown)
        {
            return;
        }

        if (HeardStandby(now))
        {
            Update(record with
            {
                State = DirectorClusterState.SwitchedOver,
                Active = record.Standby,
                SwitchPending = false,
                ActiveIncarnation = null,
                EpochHandedOut = false,
                CoupledStandbyIncarnation = null,
                LostInstance = null,
            });
            Emit(DirectorEventKinds.SwitchedOver, $"{Record.Active.ToName()} active with epoch {Record.Epoch}; {old.ToName()} is standby");
        }
        else if (!KnownLost(record.Standby, now))
        {
            // Not heard, but the witness has not watched long enough to call it lost: wait.
        }
        else if (!KnownLost(old, now))
        {
            // The standby vanished before it could take over: the old active keeps its role under the new epoch.
            Update(record with { SwitchPending = false, State = DirectorClusterState.PassiveLost });
            Emit(DirectorEventKinds.PassiveLost, $"switch-over abandoned: standby {record.Standby.ToName()} lost; {old.ToName()} stays active");
        }
        else if (!Unheard(old, now))
        {
            Update(record with { SwitchPending = false });
            EnterNodeLossNotConfirmed(old, DirectorEventKinds.NodeLossNotConfirmed, "both directors were lost during a switch-over; confirm the loss to go on");
        }
    }

    private DirectorAssignment AssignmentFor(DirectorHeartbeat heartbeat, TimeSpan now)
    {
        var record = Record;
        if (heartbeat.Instance != record.Active || !record.ActiveRoleOpen)
        {
            return new DirectorAssignment(DirectorRole.Standby, record.Epoch, record.State, Timeout);
        }

        if (record.ActiveIncarnation is { } holder && holder != heartbeat.Incarnation && MayStillAct(holder, now))
        {
            // Another incarnation of this instance holds the role and may still act on its lease: wait until it ran out.
            return new DirectorAssignment(DirectorRole.Standby, record.Epoch, record.State, Timeout);
        }

        if (record.ActiveIncarnation != heartbeat.Incarnation || !record.EpochHandedOut)
        {
            // A token is handed to one incarnation only: a new one (e.g. after a restart) gets a new epoch.
            var epoch = record.EpochHandedOut ? record.Epoch + 1 : record.Epoch == 0 ? 1 : record.Epoch;
            Update(record with
            {
                Epoch = epoch,
                EpochHandedOut = true,
                ActiveIncarnation = heartbeat.Incarnation,
                CoupledStandbyIncarnation = epoch == record.Epoch ? record.CoupledStandbyIncarnation : null,
                // The standby has acknowledged an epoch that is no longer current: it couples again when it knows the new one.
                State = epoch != record.Epoch && record.State == DirectorClusterState.Coupled ? DirectorClusterState.PreparedToBeCoupled : record.State,
            });
            Emit(DirectorEventKinds.Activated, $"{heartbeat.Instance.ToName()} ({heartbeat.Incarnation}) active with epoch {epoch}");
        }

        return new DirectorAssignment(DirectorRole.Active, Record.Epoch, Record.State, Timeout);
    }

    /// <summary>A claim the witness's record cannot explain: its state is behind what the instances know.</summary>
    private string? ConflictOf(DirectorHeartbeat heartbeat)
    {
        if (Record.State == DirectorClusterState.NodeLossNotConfirmed)
        {
            return null;
        }

        if (heartbeat.KnownEpoch > Record.Epoch)
        {
            return $"{heartbeat.Instance.ToName()} knows epoch {heartbeat.KnownEpoch}, the witness only {Record.Epoch}";
        }

        var holder = heartbeat.Instance == Record.Active && !Record.SwitchPending
            && (Record.ActiveIncarnation is null || Record.ActiveIncarnation == heartbeat.Incarnation);
        return heartbeat.Acting == DirectorRole.Active && heartbeat.KnownEpoch == Record.Epoch && Record.EpochHandedOut && !holder
            ? $"{heartbeat.Instance.ToName()} acts as active with epoch {heartbeat.KnownEpoch}, but the witness gave it to {Record.Active.ToName()}"
            : null;
    }

    private void EnterNodeLossNotConfirmed(DirectorInstance? lost, string kind, string detail)
    {
        Update(Record with { State = DirectorClusterState.NodeLossNotConfirmed, LostInstance = lost, SwitchPending = false });
        Emit(kind, detail);
    }

    private void MarkGone(DirectorInstance instance, string incarnation, TimeSpan now)
    {
        var key = (instance, incarnation);
        var gone = _incarnations.TryGetValue(key, out var observation)
            ? observation with { Gone = true }
            : new InstanceObservation(incarnation, now, 0, DirectorRole.Standby, Gone: true);
        _incarnations[key] = gone;
        if (!_seen.TryGetValue(instance, out var latest) || latest.Incarnation == incarnation)
        {
            _seen[instance] = gone;
        }
    }

    private void Update(DirectorClusterRecord record)
    {
        if (record != Record)
        {
            Record = record;
            _changed = true;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void Emit(string kind, string detail) => _events.Add(new DirectorClusterEvent(kind, detail));

    private DirectorStep Finish(DirectorAssignment? assignment, string? refusal = null)
    {
        var step = new DirectorStep(Record, _changed, _events, assignment, refusal);
        _events = [];
        _changed = false;
        return step;
    }
}
