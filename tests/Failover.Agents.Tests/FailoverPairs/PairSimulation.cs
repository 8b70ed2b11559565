using System.Text;
using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

/// <summary>
/// A seeded, deterministic simulation of one pair: two nodes running the pure state machine, the witness, a simulated
/// clock and network with delays, and faults — kills and restarts of either node, partitions between the two nodes,
/// central down for one node (witness unreachable, with or without the lease), the witness moving (a fresh
/// activation), managed agents that crash. Agents start at once and take up to 100 ms to stop; a killed node's agent
/// dies with it. The same seed replays the same run exactly.
/// <para>
/// Every node and every witness activation has a clock of its own (<see cref="SimClock"/>, a <see cref="TimeProvider"/>
/// with its own monotonic origin and its own wall clock), read the way the product's shells read theirs
/// (<see cref="PairClock"/>). With <see cref="PairFaults.ClockSteps"/> the wall clocks of the nodes and of the witness's
/// silo step forward and back (NTP); with <see cref="PairFaults.WitnessCalls"/> heartbeats to the witness fail before
/// it sees them, are seen but their answer is lost, or reach it late (a stale request answered from the witness's
/// later state).
/// </para>
/// </summary>
internal sealed class PairSimulation
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromMilliseconds(300);
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Random _random;
    private readonly Random _clockRandom;
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _events = new();
    private readonly StringBuilder _trace = new();
    private readonly PairTiming _timing;
    private readonly PairBehavior _behavior;
    private readonly PairFaults _faults;
    private long _order;
    private int _faultsEnd;

    public PairSimulation(int seed, PairBehavior behavior, PairFaults faults = PairFaults.None)
    {
        Seed = seed;
        _random = new Random(seed);
        _clockRandom = new Random(~seed);
        _behavior = behavior;
        _faults = faults;
        _timing = _random.Next(3) switch
        {
            0 => new PairTiming(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            1 => new PairTiming(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
            _ => new PairTiming(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)),
        };
        Now = s_start;
        Primary = new Node(this, PairRole.Primary);
        Secondary = new Node(this, PairRole.Secondary);
        ActivateWitness();
    }

    public int Seed { get; }

    public DateTimeOffset Now { get; private set; }

    public Node Primary { get; }

    public Node Secondary { get; }

    public PairWitness? Witness { get; private set; }

    /// <summary>The clock of the witness's current activation (its silo's).</summary>
    public SimClock WitnessClock { get; private set; } = null!;

    /// <summary>Simulated time since the start: what every <see cref="SimClock"/>'s monotonic clock advances by.</summary>
    public TimeSpan Elapsed => Now - s_start;

    public bool Partitioned { get; set; }

    /// <summary>Moments both nodes ran the agent at once: (time, what happened just then).</summary>
    public List<(DateTimeOffset At, string Cause)> Overlaps { get; } = [];

    public string Trace => _trace.ToString();

    /// <summary>Runs with random faults for <paramref name="faulty"/>, then heals everything and runs <paramref name="calm"/>.</summary>
    public void Run(TimeSpan faulty, TimeSpan calm)
    {
        Primary.Boot();
        Secondary.Boot();
        var faultsUntil = Now + faulty;
        ScheduleFault(faultsUntil);
        RunUntil(faultsUntil);
        HealAll();
        RunUntil(faultsUntil + calm);
    }

    public void At(DateTimeOffset when, Action action) => _events.Enqueue(action, (when.UtcTicks, _order++));

    public void After(TimeSpan delay, Action action) => At(Now + delay, action);

    public TimeSpan Delay() => TimeSpan.FromTicks((long)(_random.NextDouble() * _random.NextDouble() * s_maxDelay.Ticks));

    public void Log(string text) => _trace.Append(Now.ToString("mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').AppendLine(text);

    public bool Reachable(Node from, Node to) => !Partitioned && from.Alive && to.Alive;

    /// <summary>Runs every event due until <paramref name="until"/>, checking after each whether both nodes run the agent.</summary>
    public void RunUntil(DateTimeOffset until)
    {
        while (_events.TryPeek(out _, out var key) && key.Ticks <= until.UtcTicks)
        {
            var action = _events.Dequeue();
            Now = new DateTimeOffset(key.Ticks, TimeSpan.Zero);
            var before = Primary.AgentRunning && Secondary.AgentRunning;
            action();
            if (!before && Primary.AgentRunning && Secondary.AgentRunning)
            {
                Overlaps.Add((Now, _trace.Length > 0 ? LastLine() : ""));
                Log("!!! both nodes run the agent");
            }
        }

        Now = until;
    }

    private string LastLine()
    {
        var text = _trace.ToString().TrimEnd();
        return text[(text.LastIndexOf('\n') + 1)..];
    }

    private void ScheduleFault(DateTimeOffset until)
    {
        After(TimeSpan.FromMilliseconds(_random.Next(500, 6000)), () =>
        {
            if (Now >= until)
            {
                return;
            }

            InjectFault();
            ScheduleFault(until);
        });
    }

    private void InjectFault()
    {
        var node = _random.Next(2) == 0 ? Primary : Secondary;
        var duration = TimeSpan.FromMilliseconds(_random.Next(300, 9000));
        var kinds = 6 + (_faults.HasFlag(PairFaults.ClockSteps) ? 1 : 0) + (_faults.HasFlag(PairFaults.WitnessCalls) ? 1 : 0);
        var kind = _random.Next(kinds);
        if (kind >= 6)
        {
            InjectExtraFault(kind == 6 && _faults.HasFlag(PairFaults.ClockSteps) ? PairFaults.ClockSteps : PairFaults.WitnessCalls, node, duration);
            return;
        }

        switch (kind)
        {
            case 0:
                if (node.Alive)
                {
                    node.Kill();
                    After(duration, () => { if (!node.Alive) node.Boot(); });
                }

                break;
            case 1:
                Partitioned = true;
                _faultsEnd++;
                Log("partition between the nodes");
                After(duration, () => { Partitioned = false; Log("partition healed"); });
                break;
            case 2:
                node.SetCentral(reachable: false, leaseValid: _random.Next(2) == 0);
                After(duration, () => node.SetCentral(reachable: true, leaseValid: true));
                break;
            case 3:
                Witness = null;
                Log("witness moves");
                After(TimeSpan.FromMilliseconds(_random.Next(0, 2000)), () =>
                {
                    if (Witness is null)
                    {
                        ActivateWitness();
                    }

                    Log("witness active again (fresh)");
                });
                break;
            case 4:
                node.CrashAgent();
                break;
            default:
                // Two faults at once: a partition while one node has no central.
                Partitioned = true;
                Log("partition between the nodes");
                node.SetCentral(reachable: false, leaseValid: _random.Next(2) == 0);
                After(duration, () => { Partitioned = false; Log("partition healed"); });
                After(TimeSpan.FromMilliseconds(_random.Next(300, 9000)), () => node.SetCentral(reachable: true, leaseValid: true));
                break;
        }
    }

    private void InjectExtraFault(PairFaults fault, Node node, TimeSpan duration)
    {
        if (fault == PairFaults.ClockSteps)
        {
            // NTP steps a wall clock by up to a minute, forward or back: a node's, or the witness silo's.
            var by = TimeSpan.FromMilliseconds(_random.Next(500, 60_000) * (_random.Next(2) == 0 ? 1 : -1));
            var target = _random.Next(3);
            var clock = target switch { 0 => Primary.Clock, 1 => Secondary.Clock, _ => WitnessClock };
            clock.Step(by);
            Log($"the wall clock of {(target switch { 0 => "the primary", 1 => "the secondary", _ => "the witness's silo" })} steps by {by.TotalSeconds:+0.0;-0.0} s");
            return;
        }

        node.WitnessCallsFail = true;
        Log($"{PairNames.Of(node.Role)}: heartbeats to the witness fail, lose their answer or arrive late");
        After(duration, () => node.WitnessCallsFail = false);
    }

    /// <summary>A fresh witness activation, on a silo with a clock of its own.</summary>
    private void ActivateWitness()
    {
        WitnessClock = NewClock();
        Witness = new PairWitness(WitnessClock.Now);
    }

    /// <summary>A process's clock: its own monotonic origin, and a wall clock off by up to 10 minutes (with clock faults).</summary>
    private SimClock NewClock() => new(
        this,
        TimeSpan.FromSeconds(_clockRandom.Next(0, 1_000_000)),
        _faults.HasFlag(PairFaults.ClockSteps) ? TimeSpan.FromSeconds(_clockRandom.Next(-600, 600)) : TimeSpan.Zero);

    private void HealAll()
    {
        Partitioned = false;
        if (Witness is null)
        {
            ActivateWitness();
        }

        foreach (var node in new[] { Primary, Secondary })
        {
            node.SetCentral(reachable: true, leaseValid: true);
            node.WitnessCallsFail = false;
            if (!node.Alive)
            {
                node.Boot();
            }
        }

        Log("all faults healed");
    }

    /// <summary>One node: its silo (alive or killed), its failover agent's state machine and its managed agent.</summary>
    internal sealed class Node(PairSimulation sim, PairRole role)
    {
        private int _boot;
        private PairStateMachine? _machine;
        private TimeSpan _tickAt = TimeSpan.MaxValue;
        private bool _centralReachable = true;
        private bool _leaseValid = true;

        public PairRole Role { get; } = role;

        /// <summary>This node's clock: it keeps its wall-clock offset and monotonic origin across restarts of the silo.</summary>
        public SimClock Clock { get; } = sim.NewClock();

        /// <summary>While set, heartbeats to the witness fail, lose their answer, or reach the witness late.</summary>
        public bool WitnessCallsFail { get; set; }

        /// <summary>What the shell feeds the state machine: this node's <see cref="PairClock"/>.</summary>
        private TimeSpan Now => Clock.Now;

        public bool Alive => _machine is not null;

        public bool AgentRunning { get; private set; }

        public DateTimeOffset BootedAt { get; private set; }

        public PairStateMachine? Machine => _machine;

        private string Name => PairNames.Of(Role);

        private Node Peer => Role == PairRole.Primary ? sim.Secondary : sim.Primary;

        public void Boot()
        {
            _boot++;
            BootedAt = sim.Now;
            _machine = new PairStateMachine(Role, sim._behavior, sim._timing, Now);
            _tickAt = TimeSpan.MaxValue;
            sim.Log($"{Name} starts (boot {_boot})");
            var boot = _boot;
            HeartbeatLoop(boot);
            WitnessLoop(boot);
            Apply(_machine.LeaseChanged(_leaseValid, Now));
        }

        public void Kill()
        {
            _machine = null;
            AgentRunning = false;
            _boot++;
            sim.Log($"{Name} killed (kill -9: its agent dies with it)");
        }

        public void CrashAgent()
        {
            if (_machine is { } machine && AgentRunning)
            {
                AgentRunning = false;
                sim.Log($"{Name}'s agent crashes");
                Apply(machine.AgentExited(Now));
            }
        }

        public void SetCentral(bool reachable, bool leaseValid)
        {
            _centralReachable = reachable;
            if (_leaseValid != leaseValid || !reachable)
            {
                sim.Log($"{Name}: central {(reachable ? "reachable" : "unreachable")}, lease {(leaseValid ? "valid" : "lost")}");
            }

            _leaseValid = leaseValid;
            if (_machine is { } machine)
            {
                Apply(machine.LeaseChanged(leaseValid, Now));
            }
        }

        private void HeartbeatLoop(int boot)
        {
            sim.After(TimeSpan.FromMilliseconds(sim._random.Next(0, 50)), () =>
            {
                if (boot != _boot)
                {
                    return;
                }

                SendPeerHeartbeat(boot);
                sim.After(sim._timing.HeartbeatPeriod - TimeSpan.FromMilliseconds(25), () => HeartbeatLoop(boot));
            });
        }

        private void SendPeerHeartbeat(int boot)
        {
            var sentAt = Now;
            var peer = Peer;
            sim.After(sim.Delay(), () =>
            {
                if (!sim.Reachable(this, peer) || peer._machine is not { } receiver)
                {
                    return;
                }

                peer.Apply(receiver.PeerHeartbeatReceived(peer.Now));
                var running = receiver.ReportsRunning;
                sim.After(sim.Delay(), () =>
                {
                    if (boot == _boot && sim.Reachable(peer, this) && _machine is { } sender)
                    {
                        Apply(sender.PeerHeartbeatAcknowledged(sentAt, Now, running));
                    }
                });
            });
        }

        private void WitnessLoop(int boot)
        {
            if (boot != _boot || _machine is null)
            {
                return;
            }

            AskWitness(boot);
            sim.After(_machine.WitnessInterval, () => WitnessLoop(boot));
        }

        private void AskWitness(int boot)
        {
            var machine = _machine!;
            var now = Now;
            var sequence = machine.BeginWitnessHeartbeat(now);
            var report = new WitnessReport(
                "agent", Role, sim._behavior, Name, null, $"boot-{_boot}", sequence, machine.ReportsRunning,
                machine.PeerUp(now), machine.CentralUp(now), machine.Decision, sim._timing.Timeout);
            if (!_centralReachable)
            {
                return;
            }

            // A failing call: lost before the witness saw it, seen but its answer lost, or seen late (up to twice the
            // timeout: a stale request the witness answers from its later state).
            var failure = WitnessCallsFail ? sim._random.Next(4) : 3;
            if (failure == 0)
            {
                return;
            }

            var requestDelay = failure == 2 ? TimeSpan.FromTicks((long)(sim._random.NextDouble() * 2 * sim._timing.Timeout.Ticks)) : sim.Delay();
            sim.After(requestDelay, () =>
            {
                if (!_centralReachable || sim.Witness is not { } witness)
                {
                    return;
                }

                var verdict = witness.Heartbeat(report, sim.WitnessClock.Now);
                if (verdict.PrimaryConfirmedDown)
                {
                    sim.Log($"the witness confirms the primary down to the {Name} (heartbeat {sequence})");
                }
                if (failure == 1)
                {
                    return;
                }

                sim.After(sim.Delay(), () =>
                {
                    if (boot == _boot && _centralReachable && _machine is { } current)
                    {
                        Apply(current.WitnessAnswered(sequence, Now, verdict));
                    }
                });
            });
        }

        private void Apply(PairStep step)
        {
            var machine = _machine!;
            if (step.DecisionChanged)
            {
                sim.Log($"{Name}: {PairDecisionNames.Of(step.Decision)} ({step.Reason})");
            }

            foreach (var command in step.Commands)
            {
                switch (command)
                {
                    case PairCommand.StartAgent:
                        AgentRunning = true;
                        sim.Log($"{Name} starts its agent");
                        Apply(machine.AgentStarted(Now));
                        break;
                    case PairCommand.StopAgent:
                        // Stopping takes a moment (SIGTERM, the process exits): the agent runs until then.
                        sim.Log($"{Name} stops its agent");
                        var boot = _boot;
                        sim.After(TimeSpan.FromMilliseconds(sim._random.Next(0, 100)), () =>
                        {
                            if (boot == _boot && _machine is { } current && AgentRunning)
                            {
                                AgentRunning = false;
                                sim.Log($"{Name}'s agent has exited");
                                Apply(current.AgentExited(Now));
                            }
                        });
                        break;
                    case PairCommand.AskWitness:
                        AskWitness(_boot);
                        break;
                }
            }

            ScheduleTick(step.NextDecisionAt);
        }

        /// <summary>A tick when this node's clock reads <paramref name="at"/>, as the shell's timer would fire it.</summary>
        private void ScheduleTick(TimeSpan at)
        {
            var now = Now;
            if (at >= _tickAt && _tickAt > now)
            {
                return;
            }

            _tickAt = at;
            var boot = _boot;
            sim.After(at > now ? at - now : TimeSpan.Zero, () =>
            {
                if (boot != _boot || _machine is not { } machine || _tickAt != at)
                {
                    return;
                }

                _tickAt = TimeSpan.MaxValue;
                Apply(machine.Tick(Now));
            });
        }
    }
}

/// <summary>Faults of a <see cref="PairSimulation"/> besides kills, partitions, central outages and witness moves.</summary>
[Flags]
internal enum PairFaults
{
    None = 0,

    /// <summary>Wall clocks step forward and back (NTP), on the nodes and on the witness's silo.</summary>
    ClockSteps = 1,

    /// <summary>Heartbeats to the witness fail, are seen with their answer lost, or reach it late.</summary>
    WitnessCalls = 2,
}

/// <summary>
/// A process's clocks in a <see cref="PairSimulation"/>: the monotonic clock advances with simulated time from an origin
/// of its own; the wall clock is simulated time plus an offset that <see cref="Step"/> changes at once.
/// </summary>
internal sealed class SimClock(PairSimulation sim, TimeSpan monotonicOrigin, TimeSpan wallOffset) : TimeProvider
{
    private TimeSpan _wallOffset = wallOffset;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>What the product's shells read: <see cref="PairClock.Now"/> of this clock.</summary>
    public TimeSpan Now => PairClock.Now(this);

    public override long GetTimestamp() => (monotonicOrigin + sim.Elapsed).Ticks;

    public override DateTimeOffset GetUtcNow() => sim.Now + _wallOffset;

    public void Step(TimeSpan by) => _wallOffset += by;
}
