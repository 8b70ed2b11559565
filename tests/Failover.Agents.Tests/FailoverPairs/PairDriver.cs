using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

/// <summary>Puts one state machine into a cell of the behavior tables: peer up or down, central up or down.</summary>
internal sealed class PairDriver
{
    public static readonly PairTiming Timing = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
    public static readonly TimeSpan Start = TimeSpan.FromHours(1);

    public PairDriver(PairRole role, PairBehavior behavior)
    {
        Machine = new PairStateMachine(role, behavior, Timing, Start);
        Now = Start;
    }

    public PairStateMachine Machine { get; }

    public TimeSpan Now { get; private set; }

    public bool AgentRunning { get; private set; }

    /// <summary>Past the optimistic start: the peer is down unless it heartbeats.</summary>
    public PairDriver AfterOptimisticWindow()
    {
        Advance(Timing.Timeout + TimeSpan.FromSeconds(1));
        return this;
    }

    public PairStep Advance(TimeSpan by)
    {
        Now += by;
        return Apply(Machine.Tick(Now));
    }

    public PairStep PeerHeartbeat(bool peerRunning = false) => Machine.Role == PairRole.Primary
        ? Apply(Machine.PeerHeartbeatAcknowledged(Now, Now, peerRunning))
        : Apply(Machine.PeerHeartbeatReceived(Now));

    public PairStep Witness(bool primaryConfirmedDown = false, bool secondaryMayRun = false)
    {
        var sequence = Machine.BeginWitnessHeartbeat(Now);
        return Apply(Machine.WitnessAnswered(sequence, Now, new WitnessVerdict(primaryConfirmedDown, secondaryMayRun)));
    }

    public PairStep Lease(bool valid) => Apply(Machine.LeaseChanged(valid, Now));

    public PairStep AgentDied()
    {
        AgentRunning = false;
        return Apply(Machine.AgentExited(Now));
    }

    /// <summary>Carries out the commands at once, as the shell does.</summary>
    public PairStep Apply(PairStep step)
    {
        var changed = step.DecisionChanged;
        foreach (var command in step.Commands)
        {
            switch (command)
            {
                case PairCommand.StartAgent:
                    AgentRunning = true;
                    step = Machine.AgentStarted(Now);
                    break;
                case PairCommand.StopAgent:
                    AgentRunning = false;
                    step = Machine.AgentExited(Now);
                    break;
            }

            changed |= step.DecisionChanged;
        }

        return step with { DecisionChanged = changed, Commands = step.Commands };
    }
}
