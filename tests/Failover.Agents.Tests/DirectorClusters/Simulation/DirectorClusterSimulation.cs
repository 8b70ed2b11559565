using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.DirectorClusters.Simulation;

/// <summary>
/// One seeded run of a director agent cluster: two director processes and the witness (a
/// <see cref="DirectorClusterMachine"/> whose record survives its crashes) on a simulated clock and a lossy, delaying,
/// reordering network, with kills, restarts, pauses, stops, partitions, witness crashes, failing witness writes and user
/// commands, and (in about half of the seeds) a deaf witness: its silo lost the database for a while, so every input that
/// reached it then was held until it could act again, or refused when held longer than the node lease allows; its first
/// input after that may be the tick of its own timer. After every event it checks that no two processes act as active at
/// once, that acting epochs never decrease, that an epoch is handed to one incarnation only, that
/// <see cref="DirectorStep.Changed"/> is set exactly when the record changes, that no node-loss alarm is raised while
/// a heartbeat of the instance judged lost reached the witness within the heartbeat timeout (unless the incarnation
/// holding the role was really gone: killed, stopped or declared Dead), and that leaving an alarm, or coupling again, is
/// an event. Everything is drawn from
/// <c>new Random(seed)</c> (the deafness from a second generator of the same seed), so a seed replays exactly.
/// </summary>
internal sealed class DirectorClusterSimulation
{
    private const string AgentId = "agent-sim";
    private readonly PriorityQueue<Action, (TimeSpan At, long Sequence)> _queue = new();
    private readonly Random _random;
    private readonly Random _deafness;
    private readonly bool _witnessDeafness;
    private readonly Dictionary<(DirectorInstance Instance, string Incarnation), TimeSpan> _arrivals = [];
    private readonly HashSet<string> _gone = [];
    private readonly SimulatedInstance[] _instances = [new(DirectorInstance.Primary), new(DirectorInstance.Secondary)];
    private readonly Dictionary<DirectorInstance, TimeSpan> _partitionedUntil = [];
    private readonly List<string> _declaredDead = [];
    private readonly Dictionary<long, string> _epochHolders = [];
    private readonly HashSet<string> _eventKinds = [];
    private readonly SimulationTrace _trace = new(80);
    private readonly DirectorClusterSettings _settings;
    private DirectorClusterMachine? _witness;
    private DirectorClusterRecord _persisted = new();
    private int _activation;
    private long _sequence;
    private long _highestActingEpoch;
    private bool _actedInTail;
    private TimeSpan _deafUntil;

    private DirectorClusterSimulation(int seed, bool witnessDeafness)
    {
        _random = new Random(seed);
        _deafness = new Random(unchecked((seed * 7919) + 17));
        _witnessDeafness = witnessDeafness && _deafness.Next(2) == 0;
        Parameters = SimulationParameters.Draw(seed, _random);
        _settings = new DirectorClusterSettings(Parameters.Timeout, Parameters.RequireConfirmation, Parameters.Period);
    }

    public SimulationParameters Parameters { get; }

    private TimeSpan Now { get; set; }

    private TimeSpan TailStart => Parameters.FaultPhase;

    private int TimeoutMs => (int)Parameters.Timeout.TotalMilliseconds;

    private int PeriodMs => (int)Parameters.Period.TotalMilliseconds;

    /// <summary>
    /// Runs one seed; throws <see cref="SimulationFailure"/> when an invariant breaks. Returns the event kinds seen.
    /// Without <paramref name="witnessDeafness"/> a seed runs as it did before deaf witnesses were simulated.
    /// </summary>
    public static IReadOnlySet<string> Run(int seed, bool witnessDeafness = true) => new DirectorClusterSimulation(seed, witnessDeafness).Run();

    /// <summary>How long an input waits at a deaf witness before it is refused: the node lease's timeout, at most the heartbeat timeout.</summary>
    private TimeSpan HoldLimit => Parameters.Timeout;

    private HashSet<string> Run()
    {
        var end = TailStart + Parameters.Tail;
        ActivateWitness();
        foreach (var instance in _instances)
        {
            ScheduleHeartbeat(instance, Ms(_random.Next(0, PeriodMs)));
        }

        At(Now + NextFaultGap(), Fault);
        if (_witnessDeafness)
        {
            At(Now + NextDeafnessGap(), Deafen);
        }

        At(TailStart, BeginTail);
        while (_queue.TryDequeue(out var action, out var key) && key.At <= end)
        {
            Now = key.At;
            action();
            Check();
        }

        if (!Parameters.UserCommands && !_actedInTail)
        {
            Fail("liveness: without user commands, nobody acted as active during the fault-free tail");
        }

        if (_persisted is { State: DirectorClusterState.NodeLossNotConfirmed, LostInstance: { } lost } && HeardInTime(lost) is { } heard)
        {
            Fail($"the alarm about {lost.ToName()} was never cleared though {heard} reached the witness at the end");
        }

        return _eventKinds;
    }

    // ---- invariants ----

    private void Check()
    {
        var acting = _instances.Where(i => i.IsActing(Now)).ToList();
        if (acting.Count > 1)
        {
            Fail($"two directors act as active: {string.Join(", ", acting.Select(i => $"{i.Incarnation} epoch {i.Lease.Epoch} ({i.State})"))}");
        }

        foreach (var instance in acting)
        {
            if (instance.Lease.Epoch < _highestActingEpoch)
            {
                Fail($"{instance.Incarnation} acts with epoch {instance.Lease.Epoch} after epoch {_highestActingEpoch} was acted on");
            }

            _highestActingEpoch = instance.Lease.Epoch;
            _actedInTail |= Now >= TailStart;
        }
    }

    /// <summary>
    /// Feeds one input to the witness and persists a changed record as the grain does; null when that write failed, in
    /// which case (as the grain) the witness answers nothing and deactivates, and the next activation reads what is durable.
    /// </summary>
    private DirectorStep? Step(string what, Func<DirectorClusterMachine, DirectorStep> input)
    {
        var machine = _witness!;
        var before = machine.Record;
        var step = input(machine);
        Trace($"witness {what} -> {Describe(step)}");
        if (step.Changed != (step.Record != before) || step.Record != machine.Record)
        {
            Fail($"Changed is {step.Changed} but the record went from {before} to {step.Record}");
        }

        if (step.Events.Count > 0 && !step.Changed)
        {
            Fail("events emitted without a change of the record");
        }

        if (step.Record.Epoch < before.Epoch)
        {
            Fail($"the record's epoch went down from {before.Epoch} to {step.Record.Epoch}");
        }

        if (step.Events.Any(e => e.Kind == DirectorEventKinds.NodeLossNotConfirmed) && step.Record.LostInstance is { } lost
            && (before.ActiveIncarnation is not { } holder || !_gone.Contains(holder)) && HeardInTime(lost) is { } heard)
        {
            Fail($"false alarm: {lost.ToName()} judged lost though {heard} reached the witness within the heartbeat timeout");
        }

        if (before.State == DirectorClusterState.NodeLossNotConfirmed && step.Record.State != DirectorClusterState.NodeLossNotConfirmed
            && step.Events.Count == 0)
        {
            Fail($"the alarm was left for {step.Record.State} without an event");
        }

        if (before.State != DirectorClusterState.Coupled && step.Record.State == DirectorClusterState.Coupled
            && step.Events.All(e => e.Kind != DirectorEventKinds.Coupled))
        {
            Fail($"coupled again (from {before.State}) without a coupled event");
        }

        if (step.Changed)
        {
            if (Now < TailStart && _random.NextDouble() < Parameters.WriteFailure)
            {
                // A write that failed may still have committed (the answer was lost): either way nobody hears of it.
                var committed = _random.Next(2) == 0;
                if (committed)
                {
                    _persisted = step.Record;
                }

                Trace($"witness write fails ({(committed ? "committed" : "not committed")}): no answer, the witness deactivates");
                DeactivateWitness();
                return null;
            }

            _persisted = step.Record; // the shell persists before it answers
        }

        foreach (var e in step.Events)
        {
            _eventKinds.Add(e.Kind);
        }

        return step;
    }

    /// <summary>A heartbeat of a live incarnation of <paramref name="instance"/> that reached the witness (heard or held) within the timeout.</summary>
    private string? HeardInTime(DirectorInstance instance) =>
        _arrivals.Where(a => a.Key.Instance == instance && !_gone.Contains(a.Key.Incarnation) && Now - a.Value < Parameters.Timeout)
            .Select(a => $"a heartbeat of {a.Key.Incarnation} ({(Now - a.Value).TotalMilliseconds} ms ago)")
            .FirstOrDefault();

    private void Fail(string what)
    {
        var trace = string.Join(Environment.NewLine, _trace.Last());
        throw new SimulationFailure(
            Parameters.Seed,
            $"{Parameters}{Environment.NewLine}at {Now.TotalMilliseconds} ms: {what}{Environment.NewLine}"
            + $"replay: FAILOVER_SIM_SEED={Parameters.Seed}{Environment.NewLine}last events:{Environment.NewLine}{trace}");
    }

    // ---- director instances ----

    private void ScheduleHeartbeat(SimulatedInstance instance, TimeSpan after)
    {
        var generation = instance.Generation;
        At(Now + after, () =>
        {
            if (instance.Generation != generation || instance.State == ProcessState.Dead)
            {
                return;
            }

            if (instance.State == ProcessState.Paused)
            {
                instance.HeartbeatDue = true;
                return;
            }

            SendHeartbeat(instance);
            ScheduleHeartbeat(instance, Parameters.Period);
        });
    }

    private void SendHeartbeat(SimulatedInstance instance)
    {
        var sentAt = Now;
        var generation = instance.Generation;
        var incarnation = instance.Incarnation;
        var heartbeat = new DirectorHeartbeat(instance.Instance, instance.Incarnation, instance.Lease.Epoch, instance.Lease.Acting(Now));
        Trace($"{instance.Incarnation} sends heartbeat (epoch {heartbeat.KnownEpoch}, {heartbeat.Acting})");
        Send(instance.Instance, $"heartbeat of {incarnation} sent at {sentAt.TotalMilliseconds}", () => ToWitness($"heartbeat of {incarnation}", () =>
        {
            if (Step($"heartbeat {incarnation} (sent {sentAt.TotalMilliseconds})", w => w.Heartbeat(heartbeat, Now)) is not { } answered)
            {
                return;
            }

            var assignment = answered.Assignment!;
            if (assignment.Role == DirectorRole.Active)
            {
                if (_epochHolders.TryGetValue(assignment.Epoch, out var holder) && holder != incarnation)
                {
                    Fail($"epoch {assignment.Epoch} handed to {holder} and to {incarnation}");
                }

                _epochHolders[assignment.Epoch] = incarnation;
            }

            Send(instance.Instance, $"answer to {incarnation}", () => Deliver(instance, generation, () =>
            {
                var taken = instance.Lease.OnAnswer(sentAt, assignment);
                Trace($"{incarnation} {(taken ? "takes" : "ignores")} {assignment.Role} epoch {assignment.Epoch} for heartbeat sent {sentAt.TotalMilliseconds}; acting until {(instance.Lease.IsActing(Now) ? (Now + instance.Lease.Remaining(Now)).TotalMilliseconds : 0)}");
            }));
        }, (instance.Instance, incarnation)));
    }

    private void Deliver(SimulatedInstance instance, int generation, Action handle)
    {
        if (instance.Generation != generation || instance.State == ProcessState.Dead)
        {
            return;
        }

        if (instance.State == ProcessState.Paused)
        {
            instance.Inbox.Add(handle);
            return;
        }

        handle();
    }

    private void Kill(SimulatedInstance instance)
    {
        if (instance.State == ProcessState.Dead)
        {
            return;
        }

        Trace($"kill {instance.Incarnation}");
        _gone.Add(instance.Incarnation);
        instance.State = ProcessState.Dead;
        instance.FrozenForever = false;
        ScheduleDeclaration(instance);
        ScheduleRestart(instance);
    }

    private void Pause(SimulatedInstance instance)
    {
        if (instance.State != ProcessState.Running)
        {
            return;
        }

        instance.State = ProcessState.Paused;
        if (_random.Next(5) == 0)
        {
            Trace($"pause {instance.Incarnation} forever");
            instance.FrozenForever = true;
            ScheduleDeclaration(instance); // then restarted
            return;
        }

        var generation = instance.Generation;
        var until = Now + Ms(_random.Next(1, 3 * TimeoutMs));
        Trace($"pause {instance.Incarnation} until {until.TotalMilliseconds}");
        At(until, () => Resume(instance, generation));
    }

    private void Resume(SimulatedInstance instance, int generation)
    {
        if (instance.Generation != generation || instance.State != ProcessState.Paused || instance.FrozenForever)
        {
            return;
        }

        Trace($"resume {instance.Incarnation}");
        instance.State = ProcessState.Running;
        var inbox = instance.Inbox.ToList();
        instance.Inbox.Clear();
        foreach (var handle in inbox)
        {
            handle();
        }

        if (instance.HeartbeatDue)
        {
            instance.HeartbeatDue = false;
            SendHeartbeat(instance);
            ScheduleHeartbeat(instance, Parameters.Period);
        }
    }

    private void Stop(SimulatedInstance instance, bool failOver)
    {
        if (instance.State != ProcessState.Running)
        {
            return;
        }

        Trace($"stop {instance.Incarnation}{(failOver ? " --fail-over" : string.Empty)}");
        instance.Lease.Revoke();
        var incarnation = instance.Incarnation;
        _gone.Add(incarnation);
        Send(instance.Instance, $"{incarnation} stopping", () => ToWitness($"{incarnation} stopping", () =>
            Step($"{incarnation} stopping (fail-over {failOver})", w => w.InstanceStopping(instance.Instance, incarnation, failOver, Now))));
        instance.State = ProcessState.Dead;
        ScheduleDeclaration(instance);
        ScheduleRestart(instance);
    }

    private void ScheduleRestart(SimulatedInstance instance)
    {
        if (instance.RestartScheduled)
        {
            return;
        }

        instance.RestartScheduled = true;
        At(Now + Ms(_random.Next(1, 2 * TimeoutMs)), () =>
        {
            instance.Restart();
            Trace($"restart {instance.Incarnation}");
            ScheduleHeartbeat(instance, Ms(_random.Next(0, PeriodMs)));
        });
    }

    /// <summary>The membership declares the process Dead some time after it died (or froze for good).</summary>
    private void ScheduleDeclaration(SimulatedInstance instance)
    {
        var generation = instance.Generation;
        var incarnation = instance.Incarnation;
        At(Now + Ms(_random.Next(0, 3 * TimeoutMs)), () =>
        {
            if (instance.Generation == generation && instance.FrozenForever)
            {
                instance.State = ProcessState.Dead;
                ScheduleRestart(instance);
            }

            _declaredDead.Add(incarnation);
            _gone.Add(incarnation);
            Trace($"membership: {incarnation} Dead");
            var deliveries = _random.Next(6) == 0 ? 2 : 1;
            for (var i = 0; i < deliveries && _witness is not null; i++)
            {
                ToWitness($"silo of {incarnation} dead", () => Step($"silo of {incarnation} dead", w => w.SiloDead(incarnation, Now)));
            }
        });
    }

    // ---- the witness ----

    private void ActivateWitness()
    {
        var activation = ++_activation;
        _witness = new DirectorClusterMachine(AgentId, _persisted, _settings, Now);
        Trace($"witness activated from {Describe(_persisted)}");
        foreach (var incarnation in _declaredDead.TakeWhile(_ => _witness is not null))
        {
            ToWitness($"silo of {incarnation} dead (membership read on activation)",
                () => Step($"silo of {incarnation} dead (membership read on activation)", w => w.SiloDead(incarnation, Now)));
        }

        ScheduleTick(activation);
    }

    private void ScheduleTick(int activation) => At(Now + Parameters.Period, () =>
    {
        if (activation == _activation && _witness is not null)
        {
            if (Now < _deafUntil)
            {
                Trace("witness deaf: its timer's tick refused");
            }
            else
            {
                Step("tick", w => w.Tick(Now));
            }

            ScheduleTick(activation);
        }
    });

    private void CrashWitness()
    {
        if (_witness is null)
        {
            return;
        }

        Trace("witness crashes");
        DeactivateWitness();
    }

    private void DeactivateWitness()
    {
        _witness = null;
        _activation++;
        At(Now + Ms(_random.Next(0, 2 * PeriodMs)), ActivateWitness);
    }

    // ---- faults and the user ----

    private void Fault()
    {
        if (Now >= TailStart)
        {
            return;
        }

        var instance = _instances[_random.Next(2)];
        switch (_random.Next(Parameters.UserCommands ? 12 : 9))
        {
            case 0 or 1: Kill(instance); break;
            case 2 or 3: Pause(instance); break;
            case 4: Stop(instance, failOver: false); break;
            case 5: Stop(instance, failOver: true); break;
            case 6: CrashWitness(); break;
            case 7 or 8: Partition(instance.Instance); break;
            case 9 or 10: UserCommand("switch-over", w => w.SwitchOver(_random.Next(4) == 0 ? _random.Next(1, 3) : 0, Now)); break;
            default: UserCommand($"confirm-loss {instance.Instance.ToName()}", w => w.ConfirmLoss(instance.Instance, Now)); break;
        }

        At(Now + NextFaultGap(), Fault);
    }

    private void Partition(DirectorInstance instance)
    {
        var until = Now + Ms(_random.Next(1, 3 * TimeoutMs));
        Trace($"partition {instance.ToName()} from the witness until {until.TotalMilliseconds}");
        _partitionedUntil[instance] = until;
    }

    private void UserCommand(string what, Func<DirectorClusterMachine, DirectorStep> command) =>
        ToWitness($"user {what}", () => Step($"user {what}", command));

    /// <summary>
    /// The witness's silo loses the database for longer than the witness counts its own pauses from
    /// (<see cref="DirectorClusterSettings.DeafAfter"/>), up to five heartbeat timeouts: its node lease lapses and every
    /// input waits (<see cref="ToWitness"/>). Half the time the tick of its own timer is the first input when it hears again.
    /// </summary>
    private void Deafen()
    {
        if (Now >= TailStart)
        {
            return;
        }

        if (Now >= _deafUntil)
        {
            var until = Now + Ms(_deafness.Next((int)_settings.DeafAfter.TotalMilliseconds + 1, (5 * TimeoutMs) + 1));
            Trace($"witness deaf until {until.TotalMilliseconds}: its silo cannot reach the database");
            _deafUntil = until;
            if (_deafness.Next(2) == 0)
            {
                At(until, () =>
                {
                    if (_witness is not null)
                    {
                        Step("tick (its timer's, the first input when it hears again)", w => w.Tick(Now));
                    }
                });
            }
        }

        At(Now + NextDeafnessGap(), Deafen);
    }

    /// <summary>
    /// Delivers an input to the witness: dropped when it is down; while it is deaf, held until it hears again if that is
    /// within <see cref="HoldLimit"/>, else refused. A heartbeat held or delivered has reached the witness.
    /// </summary>
    private void ToWitness(string what, Action input, (DirectorInstance Instance, string Incarnation)? heartbeatOf = null)
    {
        if (_witness is null)
        {
            Trace($"witness down: {what} dropped");
            return;
        }

        if (Now < _deafUntil && _deafUntil - Now > HoldLimit)
        {
            Trace($"witness deaf: {what} refused");
            return;
        }

        if (heartbeatOf is { } arrival)
        {
            _arrivals[arrival] = Now;
        }

        if (Now < _deafUntil)
        {
            Trace($"witness deaf: {what} held until {_deafUntil.TotalMilliseconds}");
            At(_deafUntil, () =>
            {
                if (_witness is null)
                {
                    Trace($"witness down: held {what} dropped");
                    return;
                }

                input();
            });
            return;
        }

        input();
    }

    private void BeginTail()
    {
        Trace("fault-free tail begins");
        foreach (var instance in _instances)
        {
            Resume(instance, instance.Generation);
        }
    }

    private TimeSpan NextFaultGap() => Ms(_random.Next(1, 2 * (int)Parameters.MeanFaultGap.TotalMilliseconds));

    private TimeSpan NextDeafnessGap() => Ms(_deafness.Next(1, 2 * 4 * TimeoutMs));

    // ---- clock and network ----

    private void At(TimeSpan at, Action action) => _queue.Enqueue(action, (at, _sequence++));

    private void Send(DirectorInstance instance, string what, Action deliver)
    {
        if ((_partitionedUntil.TryGetValue(instance, out var until) && until > Now) || _random.NextDouble() < Parameters.Loss)
        {
            Trace($"lost: {what}");
            return;
        }

        var delay = _random.NextDouble() < Parameters.SpikeChance
            ? Ms(_random.Next(0, 4 * TimeoutMs + 1))
            : Ms(_random.Next(0, (int)Parameters.MaxDelay.TotalMilliseconds + 1));
        At(Now + delay, deliver);
    }

    private void Trace(string what) => _trace.Add(Now, what);

    private static TimeSpan Ms(double milliseconds) => SimulationParameters.Ms(milliseconds);

    private static string Describe(DirectorStep step)
    {
        var events = step.Events.Count == 0 ? string.Empty : $" events [{string.Join("; ", step.Events.Select(e => $"{e.Kind}: {e.Detail}"))}]";
        var answer = step.Assignment is { } a ? $" answer {a.Role} epoch {a.Epoch}" : string.Empty;
        var refusal = step.Refusal is null ? string.Empty : $" REFUSED: {step.Refusal}";
        return $"{(step.Changed ? "changed " : string.Empty)}{Describe(step.Record)}{answer}{events}{refusal}";
    }

    private static string Describe(DirectorClusterRecord r) =>
        $"{{{r.State} active {r.Active.ToName()}/{r.ActiveIncarnation ?? "-"} epoch {r.Epoch}{(r.EpochHandedOut ? " handed out" : string.Empty)}"
        + $" coupled {r.CoupledStandbyIncarnation ?? "-"}{(r.SwitchPending ? " switch pending" : string.Empty)} lost {r.LostInstance?.ToName() ?? "-"}}}";
}
