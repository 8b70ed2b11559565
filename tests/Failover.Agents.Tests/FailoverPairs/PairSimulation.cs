using System.Text;
using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

/// <summary>
/// A seeded, deterministic simulation of one pair: two nodes running the pure state machine, the witness, a simulated
/// clock and network with delays, and faults — kills and restarts of either node, partitions between the two nodes,
/// central down for one node (witness unreachable, with or without the lease), the witness moving (a fresh
/// activation), managed agents that crash. Agents start at once and take up to 100 ms to stop; a killed node's agent
/// dies with it. The same seed replays the same run exactly.
/// </summary>
internal sealed class PairSimulation
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromMilliseconds(300);

    private readonly Random _random;
    private readonly PriorityQueue<Action, (long Ticks, long Order)> _events = new();
    private readonly StringBuilder _trace = new();
    private readonly PairTiming _timing;
    private readonly PairBehavior _behavior;
    private long _order;
    private int _faultsEnd;

    public PairSimulation(int seed, PairBehavior behavior)
    {
        Seed = seed;
        _random = new Random(seed);
        _behavior = behavior;
        _timing = _random.Next(3) switch
        {
            0 => new PairTiming(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            1 => new PairTiming(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
            _ => new PairTiming(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)),
        };
        Now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Primary = new Node(this, PairRole.Primary);
        Secondary = new Node(this, PairRole.Secondary);
        Witness = new PairWitness(Now);
    }

    public int Seed { get; }

    public DateTimeOffset Now { get; private set; }

    public Node Primary { get; }

    public Node Secondary { get; }

    public PairWitness? Witness { get; private set; }

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
        switch (_random.Next(6))
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
                    Witness ??= new PairWitness(Now);
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

    private void HealAll()
    {
        Partitioned = false;
        Witness ??= new PairWitness(Now);
        foreach (var node in new[] { Primary, Secondary })
        {
            node.SetCentral(reachable: true, leaseValid: true);
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
        private DateTimeOffset _tickAt = DateTimeOffset.MaxValue;
        private bool _centralReachable = true;
        private bool _leaseValid = true;

        public PairRole Role { get; } = role;

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
            _machine = new PairStateMachine(Role, sim._behavior, sim._timing, sim.Now);
            _tickAt = DateTimeOffset.MaxValue;
            sim.Log($"{Name} starts (boot {_boot})");
            var boot = _boot;
            HeartbeatLoop(boot);
            WitnessLoop(boot);
            Apply(_machine.LeaseChanged(_leaseValid, sim.Now));
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
                Apply(machine.AgentExited(sim.Now));
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
                Apply(machine.LeaseChanged(leaseValid, sim.Now));
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
            var sentAt = sim.Now;
            var peer = Peer;
            sim.After(sim.Delay(), () =>
            {
                if (!sim.Reachable(this, peer) || peer._machine is not { } receiver)
                {
                    return;
                }

                peer.Apply(receiver.PeerHeartbeatReceived(sim.Now));
                var running = receiver.ReportsRunning;
                sim.After(sim.Delay(), () =>
                {
                    if (boot == _boot && sim.Reachable(peer, this) && _machine is { } sender)
                    {
                        Apply(sender.PeerHeartbeatAcknowledged(sentAt, sim.Now, running));
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
            var sequence = machine.BeginWitnessHeartbeat(sim.Now);
            var report = new WitnessReport(
                "agent", Role, sim._behavior, Name, null, $"boot-{_boot}", sequence, machine.ReportsRunning,
                machine.PeerUp(sim.Now), machine.CentralUp(sim.Now), machine.Decision, sim._timing.Timeout);
            if (!_centralReachable)
            {
                return;
            }

            sim.After(sim.Delay(), () =>
            {
                if (!_centralReachable || sim.Witness is not { } witness)
                {
                    return;
                }

                var verdict = witness.Heartbeat(report, sim.Now);
                sim.After(sim.Delay(), () =>
                {
                    if (boot == _boot && _centralReachable && _machine is { } current)
                    {
                        Apply(current.WitnessAnswered(sequence, sim.Now, verdict));
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
                        Apply(machine.AgentStarted(sim.Now));
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
                                Apply(current.AgentExited(sim.Now));
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

        private void ScheduleTick(DateTimeOffset at)
        {
            if (at >= _tickAt && _tickAt > sim.Now)
            {
                return;
            }

            _tickAt = at;
            var boot = _boot;
            sim.At(at, () =>
            {
                if (boot != _boot || _machine is not { } machine || _tickAt != at)
                {
                    return;
                }

                _tickAt = DateTimeOffset.MaxValue;
                Apply(machine.Tick(sim.Now));
            });
        }
    }
}
