using Failover.Agents.DirectorClusters;
using static Failover.Agents.Topology.DirectorInstance;

namespace Failover.Agents.Tests.DirectorClusters;

public sealed class FailOverTests
{
    public enum Loss
    {
        Timeout,
        StopWithFailOver,
        SiloDead,
    }

    [Theory]
    [InlineData(Loss.Timeout, false, true, DirectorClusterState.FailedOver)]
    [InlineData(Loss.StopWithFailOver, false, true, DirectorClusterState.FailedOver)]
    [InlineData(Loss.SiloDead, false, true, DirectorClusterState.FailedOver)]
    [InlineData(Loss.Timeout, true, true, DirectorClusterState.NodeLossNotConfirmed)]
    [InlineData(Loss.StopWithFailOver, true, true, DirectorClusterState.NodeLossNotConfirmed)]
    [InlineData(Loss.SiloDead, true, true, DirectorClusterState.NodeLossNotConfirmed)]
    [InlineData(Loss.Timeout, false, false, DirectorClusterState.NodeLossNotConfirmed)]
    [InlineData(Loss.StopWithFailOver, false, false, DirectorClusterState.NodeLossNotConfirmed)]
    [InlineData(Loss.SiloDead, false, false, DirectorClusterState.NodeLossNotConfirmed)]
    public void Losing_the_active(Loss loss, bool requireConfirmation, bool standbyCoupled, DirectorClusterState expected)
    {
        var witness = new WitnessHarness(requireConfirmation: requireConfirmation);
        witness.Heartbeat(Primary, "p1");
        witness.Heartbeat(Secondary, "s1", standbyCoupled ? 1 : 0);
        witness.Advance(500);
        witness.Heartbeat(Secondary, "s1", standbyCoupled ? 1 : 0);
        var step = loss switch
        {
            Loss.Timeout => LoseByTimeout(witness),
            Loss.StopWithFailOver => witness.Stopping(Primary, "p1", failOver: true),
            _ => witness.SiloDead("p1"),
        };

        Assert.True(step.Changed);
        Assert.Equal(expected, step.Record.State);
        Assert.Equal(Primary, step.Record.LostInstance);
        if (expected == DirectorClusterState.FailedOver)
        {
            Assert.Equal([DirectorEventKinds.FailedOver], step.Kinds());
            Assert.Equal(Secondary, step.Record.Active);
            Assert.Equal(2, step.Record.Epoch);
            Assert.False(step.Record.EpochHandedOut);
            var taken = witness.Heartbeat(Secondary, "s1", 1);
            taken.IsActive(2);
            Assert.Equal([DirectorEventKinds.Activated], taken.Kinds());
            Assert.Equal("s1", taken.Record.ActiveIncarnation);
        }
        else
        {
            Assert.Equal([DirectorEventKinds.NodeLossNotConfirmed], step.Kinds());
            Assert.Equal(Primary, step.Record.Active);
            Assert.Equal(1, step.Record.Epoch);
            witness.Heartbeat(Secondary, "s1", 1).IsStandby(1);
            witness.AdvancePastTimeout();
            witness.Tick().Unchanged();
            Assert.Contains(requireConfirmation && standbyCoupled ? "requires fail-over confirmation" : "was not coupled", step.Events[0].Detail, StringComparison.Ordinal);
        }
    }

    private static DirectorStep LoseByTimeout(WitnessHarness witness)
    {
        witness.Advance(500);
        witness.Tick().Unchanged(); // p1 last heard exactly one timeout ago
        witness.Advance(1);
        return witness.Tick();
    }

    [Fact]
    public void A_silent_active_that_is_heard_again_before_confirmation_resumes_with_its_epoch()
    {
        var witness = new WitnessHarness(requireConfirmation: true);
        witness.Heartbeat(Primary, "p1");
        witness.AdvancePastTimeout();
        witness.Heartbeat(Secondary, "s1", 1);
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, witness.Record.State);
        var back = witness.Heartbeat(Primary, "p1", 1);
        back.IsActive(1);
        Assert.Equal(DirectorClusterState.Coupled, back.Record.State); // the standby already knows epoch 1
        Assert.Equal([DirectorEventKinds.LossCleared, DirectorEventKinds.Coupled], back.Kinds());
        Assert.Null(back.Record.LostInstance);
    }

    [Fact]
    public void A_restarted_active_resumes_after_a_loss_that_was_not_confirmed()
    {
        var witness = new WitnessHarness();
        witness.Heartbeat(Primary, "p1");
        witness.SiloDead("p1");
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, witness.Record.State);
        var back = witness.Heartbeat(Primary, "p2");
        back.IsActive(2);
        Assert.Equal([DirectorEventKinds.LossCleared, DirectorEventKinds.Activated], back.Kinds());
        Assert.Equal("p2", back.Record.ActiveIncarnation);
        // The witness has not watched for the timeout yet: the standby it never heard is not lost before it has.
        Assert.Equal(DirectorClusterState.PreparedToBeCoupled, back.Record.State);
        witness.AdvancePastTimeout();
        witness.Heartbeat(Primary, "p2", 2, DirectorRole.Active).IsActive(2);
        Assert.Equal(DirectorClusterState.PassiveLost, witness.Record.State);
        Assert.Equal(DirectorEventKinds.PassiveLost, witness.Events[^1].Kind);
    }

    [Fact]
    public void The_old_active_learns_the_new_epoch_as_standby_after_a_fail_over()
    {
        var witness = WitnessHarness.Coupled();
        witness.SiloDead("p1");
        witness.Heartbeat(Secondary, "s1", 1).IsActive(2);
        witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active).IsStandby(2); // a late heartbeat of the dead one
        var restarted = witness.Heartbeat(Primary, "p2", 0);
        restarted.IsStandby(2);
        Assert.Equal(DirectorClusterState.FailedOver, restarted.Record.State);
        var coupled = witness.Heartbeat(Primary, "p2", 2);
        Assert.Equal(DirectorClusterState.Coupled, coupled.Record.State);
        Assert.Equal([DirectorEventKinds.Coupled], coupled.Kinds());
    }

    [Fact]
    public void The_standby_is_lost_by_timeout_and_couples_again_when_back()
    {
        var witness = WitnessHarness.Coupled();
        witness.Advance(600);
        witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active);
        witness.Advance(401);
        var lost = witness.Tick();
        Assert.Equal(DirectorClusterState.PassiveLost, lost.Record.State);
        Assert.Equal([DirectorEventKinds.PassiveLost], lost.Kinds());
        Assert.Null(lost.Record.CoupledStandbyIncarnation);

        var back = witness.Heartbeat(Secondary, "s2", 0);
        Assert.Equal(DirectorClusterState.PreparedToBeCoupled, back.Record.State);
        Assert.Empty(back.Kinds());
        var coupled = witness.Heartbeat(Secondary, "s2", 1);
        Assert.Equal(DirectorClusterState.Coupled, coupled.Record.State);
        Assert.Equal("s2", coupled.Record.CoupledStandbyIncarnation);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_stopped_or_dead_standby_is_lost_at_once(bool stop)
    {
        var witness = WitnessHarness.Coupled();
        var step = stop ? witness.Stopping(Secondary, "s1", failOver: false) : witness.SiloDead("s1");
        Assert.Equal(DirectorClusterState.PassiveLost, step.Record.State);
        Assert.Equal(Primary, step.Record.Active);
        witness.Heartbeat(Secondary, "s1", 1).IsStandby(1);
        Assert.Equal(DirectorClusterState.PassiveLost, witness.Record.State);
    }

    [Fact]
    public void The_active_lost_while_the_standby_is_passive_lost_needs_confirmation()
    {
        var witness = WitnessHarness.Coupled();
        witness.SiloDead("s1");
        var step = witness.SiloDead("p1");
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, step.Record.State);
    }

    [Fact]
    public void Silo_dead_of_an_unknown_incarnation_changes_nothing()
    {
        var witness = WitnessHarness.Coupled();
        witness.SiloDead("x9").Unchanged();
        Assert.Equal(DirectorClusterState.Coupled, witness.Record.State);
    }
}
