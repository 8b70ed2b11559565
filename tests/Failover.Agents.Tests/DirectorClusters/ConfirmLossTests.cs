using Failover.Agents.DirectorClusters;
using static Failover.Agents.Topology.DirectorInstance;

namespace Failover.Agents.Tests.DirectorClusters;

public sealed class ConfirmLossTests
{
    [Fact]
    public void Confirm_loss_is_refused_outside_node_loss_not_confirmed()
    {
        var witness = WitnessHarness.Coupled();
        var step = witness.ConfirmLoss(Primary);
        Assert.Equal("agent-1 is Coupled: confirm-loss is only accepted in NodeLossNotConfirmed", step.Refusal);
        step.Unchanged();
    }

    [Fact]
    public void Confirm_loss_of_a_heartbeating_instance_is_refused()
    {
        var witness = WitnessHarness.Coupled(requireConfirmation: true);
        witness.SiloDead("p1");
        witness.Advance(250);
        witness.Heartbeat(Secondary, "s1", 1);
        witness.Advance(40);
        var step = witness.ConfirmLoss(Secondary);
        Assert.Equal("agent-1: secondary is heartbeating (last heard 40 ms ago); only a silent instance can be confirmed lost", step.Refusal);
        step.Unchanged();
    }

    [Fact]
    public void Confirm_loss_by_a_fresh_witness_is_refused_until_it_has_watched_for_the_timeout()
    {
        var witness = WitnessHarness.Coupled(requireConfirmation: true);
        witness.AdvancePastTimeout();
        witness.Heartbeat(Secondary, "s1", 1);
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, witness.Record.State);
        witness.Reactivate(afterMilliseconds: 100);
        witness.Advance(1000);
        witness.Heartbeat(Secondary, "s1", 1);
        var refused = witness.ConfirmLoss(Primary);
        Assert.Equal("agent-1: the witness has watched for 1000 ms only; retry after the heartbeat timeout (1000 ms)", refused.Refusal);
        refused.Unchanged();

        witness.Advance(1);
        var accepted = witness.ConfirmLoss(Primary);
        Assert.False(accepted.Refused);
        Assert.Equal(DirectorClusterState.FailedOver, accepted.Record.State);
    }

    [Fact]
    public void Confirmed_loss_of_the_active_makes_the_other_active_with_a_new_epoch()
    {
        var witness = WitnessHarness.Coupled(requireConfirmation: true);
        witness.SiloDead("p1");
        var step = witness.ConfirmLoss(Primary);
        Assert.False(step.Refused);
        Assert.Equal([DirectorEventKinds.LossConfirmed, DirectorEventKinds.FailedOver], step.Kinds());
        Assert.Equal(new DirectorClusterRecord
        {
            State = DirectorClusterState.FailedOver,
            Active = Secondary,
            Epoch = 2,
            LostInstance = Primary,
        }, step.Record);
        witness.Heartbeat(Secondary, "s1", 1).IsActive(2);
        witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active).IsStandby(2);
    }

    [Fact]
    public void A_dead_active_can_be_confirmed_lost_by_a_fresh_witness_at_once()
    {
        var witness = WitnessHarness.Coupled(requireConfirmation: true);
        witness.AdvancePastTimeout();
        witness.Tick();
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, witness.Record.State);
        witness.Reactivate();
        witness.SiloDead("p1");
        Assert.False(witness.ConfirmLoss(Primary).Refused);
    }

    [Fact]
    public void Confirm_loss_of_the_standby_leaves_the_role_with_the_active_under_a_new_epoch()
    {
        // Claims conflict: nobody named lost, the user names the standby.
        var record = new DirectorClusterRecord
        {
            State = DirectorClusterState.Coupled,
            Epoch = 1,
            EpochHandedOut = true,
            ActiveIncarnation = "p1",
            CoupledStandbyIncarnation = "s1",
        };
        var witness = new WitnessHarness(record);
        witness.Heartbeat(Secondary, "s1", 5);
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, witness.Record.State);
        witness.AdvancePastTimeout();
        var step = witness.ConfirmLoss(Secondary);
        Assert.False(step.Refused);
        Assert.Equal(Primary, step.Record.Active);
        Assert.Equal(6, step.Record.Epoch); // above every epoch seen
        Assert.Equal("p1", step.Record.ActiveIncarnation);
        witness.Heartbeat(Primary, "p1", 1).IsActive(6);
    }
}
