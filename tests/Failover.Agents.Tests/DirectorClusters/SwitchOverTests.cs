using Failover.Agents.DirectorClusters;
using static Failover.Agents.Topology.DirectorInstance;

namespace Failover.Agents.Tests.DirectorClusters;

public sealed class SwitchOverTests
{
    public enum Situation
    {
        NothingActiveYet,
        PreparedToBeCoupled,
        PassiveLost,
        JobsOnActiveNode,
        StandbySilentAfterReactivation,
        ActiveSilentAfterReactivation,
        AlreadyPending,
        NodeLossNotConfirmed,
    }

    [Theory]
    [InlineData(Situation.NothingActiveYet, "agent-1 is NodesAppointed, not Coupled: switch-over needs a coupled standby")]
    [InlineData(Situation.PreparedToBeCoupled, "agent-1 is PreparedToBeCoupled, not Coupled: switch-over needs a coupled standby")]
    [InlineData(Situation.PassiveLost, "agent-1 is PassiveLost, not Coupled: switch-over needs a coupled standby")]
    [InlineData(Situation.NodeLossNotConfirmed, "agent-1 is NodeLossNotConfirmed, not Coupled: switch-over needs a coupled standby")]
    [InlineData(Situation.JobsOnActiveNode, "agent-1: 2 job(s) run on the active director's own subagent; wait for them or cancel them")]
    [InlineData(Situation.StandbySilentAfterReactivation, "agent-1: the standby director secondary is not heartbeating")]
    [InlineData(Situation.ActiveSilentAfterReactivation, "agent-1: the active director primary is not heartbeating")]
    [InlineData(Situation.AlreadyPending, "agent-1: a switch-over is already in progress")]
    public void A_switch_over_is_refused(Situation situation, string refusal)
    {
        var witness = situation switch
        {
            Situation.NothingActiveYet => new WitnessHarness(),
            Situation.NodeLossNotConfirmed => WitnessHarness.Coupled(requireConfirmation: true),
            _ => WitnessHarness.Coupled(),
        };
        var jobs = 0;
        switch (situation)
        {
            case Situation.PreparedToBeCoupled:
                witness.Heartbeat(Secondary, "s2");
                break;
            case Situation.PassiveLost:
                witness.SiloDead("s1");
                break;
            case Situation.NodeLossNotConfirmed:
                witness.SiloDead("p1");
                break;
            case Situation.JobsOnActiveNode:
                jobs = 2;
                break;
            case Situation.StandbySilentAfterReactivation:
                witness.Reactivate();
                witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active);
                break;
            case Situation.ActiveSilentAfterReactivation:
                witness.Reactivate();
                witness.Heartbeat(Secondary, "s1", 1);
                break;
            case Situation.AlreadyPending:
                Assert.False(witness.SwitchOver().Refused);
                break;
        }

        var before = witness.Record;
        var step = witness.SwitchOver(jobs);
        Assert.True(step.Refused);
        Assert.Equal(refusal, step.Refusal);
        step.Unchanged();
        Assert.Equal(before, step.Record);
    }

    [Fact]
    public void The_role_passes_once_the_old_active_reports_standby_with_the_new_epoch()
    {
        var witness = WitnessHarness.Coupled();
        var requested = witness.SwitchOver();
        Assert.False(requested.Refused);
        Assert.Equal([DirectorEventKinds.SwitchOverRequested], requested.Kinds());
        Assert.True(requested.Record.SwitchPending);
        Assert.Equal(2, requested.Record.Epoch);
        Assert.False(requested.Record.EpochHandedOut);
        Assert.Equal(Primary, requested.Record.Active);

        var oldActive = witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active);
        oldActive.IsStandby(2); // it stops acting when it learns the new epoch
        witness.Heartbeat(Secondary, "s1", 2).IsStandby(2); // not yet: the old active has not said it stepped down

        var passed = witness.Heartbeat(Primary, "p1", 2, DirectorRole.Standby);
        passed.IsStandby(2);
        Assert.Equal(DirectorClusterState.SwitchedOver, passed.Record.State);
        Assert.Equal([DirectorEventKinds.SwitchedOver], passed.Kinds());
        Assert.Equal(Secondary, passed.Record.Active);
        Assert.False(passed.Record.SwitchPending);

        var taken = witness.Heartbeat(Secondary, "s1", 2);
        taken.IsActive(2);
        Assert.Equal([DirectorEventKinds.Activated], taken.Kinds());
        Assert.Equal(DirectorClusterState.Coupled, witness.Heartbeat(Primary, "p1", 2).Record.State);
    }

    [Fact]
    public void The_role_passes_after_a_timeout_when_the_old_active_does_not_answer()
    {
        var witness = WitnessHarness.Coupled();
        witness.SwitchOver();
        witness.Advance(600);
        witness.Heartbeat(Secondary, "s1", 2).IsStandby(2);
        witness.Advance(400);
        witness.Heartbeat(Secondary, "s1", 2).IsStandby(2); // exactly one timeout after the request
        witness.Advance(1);
        var step = witness.Heartbeat(Secondary, "s1", 2);
        step.IsActive(2);
        Assert.Equal(DirectorClusterState.SwitchedOver, step.Record.State);
    }

    [Fact]
    public void The_switch_is_abandoned_when_the_standby_vanishes()
    {
        var witness = WitnessHarness.Coupled();
        witness.SwitchOver();
        witness.SiloDead("s1");
        var step = witness.Heartbeat(Primary, "p1", 2, DirectorRole.Standby);
        Assert.Equal(DirectorClusterState.PassiveLost, step.Record.State);
        Assert.Equal([DirectorEventKinds.PassiveLost, DirectorEventKinds.Activated], step.Kinds());
        step.IsActive(2); // the old active keeps the role under the new epoch
        Assert.Equal("p1", step.Record.ActiveIncarnation);
    }

    [Fact]
    public void Both_lost_during_a_switch_needs_confirmation()
    {
        var witness = WitnessHarness.Coupled();
        witness.SwitchOver();
        witness.SiloDead("s1");
        var step = witness.SiloDead("p1");
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, step.Record.State);
        Assert.Equal(Primary, step.Record.LostInstance);
        Assert.False(step.Record.SwitchPending);
    }

    /// <summary>
    /// Regression (simulation seeds 463, 4002, 7375, 9942, 13919): a witness re-activated while a switch was pending took the
    /// old active's silence for a step-down and gave the role to the standby while the old active still acted on its lease.
    /// </summary>
    [Fact]
    public void A_reactivated_witness_waits_for_the_old_actives_lease_before_passing_the_role()
    {
        var witness = WitnessHarness.Coupled();
        witness.Advance(500);
        witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active).IsActive(1); // p1 may act until now + timeout
        witness.SwitchOver();
        witness.Reactivate(afterMilliseconds: 5);
        var step = witness.Heartbeat(Secondary, "s1", 2);
        step.IsStandby(2);
        Assert.True(step.Record.SwitchPending);
        witness.Advance(1000);
        witness.Heartbeat(Secondary, "s1", 2).IsStandby(2);
        witness.Advance(1);
        var passed = witness.Heartbeat(Secondary, "s1", 2);
        passed.IsActive(2);
        Assert.Equal(DirectorClusterState.SwitchedOver, passed.Record.State);
    }
}
