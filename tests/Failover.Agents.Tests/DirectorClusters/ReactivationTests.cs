using Failover.Agents.DirectorClusters;
using static Failover.Agents.Topology.DirectorInstance;

namespace Failover.Agents.Tests.DirectorClusters;

public sealed class ReactivationTests
{
    [Fact]
    public void A_fresh_witness_keeps_the_active_and_its_epoch()
    {
        var witness = WitnessHarness.Coupled();
        witness.Reactivate();
        witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active).IsActive(1);
        witness.Heartbeat(Secondary, "s1", 1).Unchanged();
        Assert.Equal(DirectorClusterState.Coupled, witness.Record.State);
    }

    [Fact]
    public void A_fresh_witness_fails_over_to_the_coupled_standby_after_watching_for_the_timeout()
    {
        var witness = WitnessHarness.Coupled();
        witness.Reactivate(afterMilliseconds: 5000);
        for (var i = 0; i < 4; i++)
        {
            witness.Heartbeat(Secondary, "s1", 1).IsStandby(1);
            witness.Tick().Unchanged();
            witness.Advance(250);
        }

        var step = witness.Heartbeat(Secondary, "s1", 1); // 1000 ms watched: not yet
        step.IsStandby(1);
        witness.Advance(1);
        var failedOver = witness.Tick();
        Assert.Equal(DirectorClusterState.FailedOver, failedOver.Record.State);
        Assert.Equal([DirectorEventKinds.FailedOver], failedOver.Kinds());
        witness.Heartbeat(Secondary, "s1", 1).IsActive(2);
    }

    [Fact]
    public void A_fresh_witness_with_a_restarted_standby_waits_for_confirmation()
    {
        var witness = WitnessHarness.Coupled();
        witness.Reactivate(afterMilliseconds: 5000);
        witness.Heartbeat(Secondary, "s2");
        witness.AdvancePastTimeout();
        var step = witness.Heartbeat(Secondary, "s2");
        step.IsStandby(1);
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, step.Record.State);
        Assert.Equal([DirectorEventKinds.NodeLossNotConfirmed], step.Kinds());
    }

    [Fact]
    public void A_fresh_witness_fails_over_at_once_when_the_actives_silo_is_dead()
    {
        var witness = WitnessHarness.Coupled();
        witness.Reactivate();
        witness.Heartbeat(Secondary, "s1", 1);
        var step = witness.SiloDead("p1");
        Assert.Equal(DirectorClusterState.FailedOver, step.Record.State);
        witness.Heartbeat(Secondary, "s1", 1).IsActive(2);
    }

    [Fact]
    public void A_fresh_witness_learns_of_a_dead_silo_it_never_heard_from_its_record()
    {
        var witness = WitnessHarness.Coupled();
        witness.Reactivate();
        var step = witness.SiloDead("s1");
        Assert.Equal(DirectorClusterState.PassiveLost, step.Record.State);
    }

    [Fact]
    public void A_fresh_witness_ignores_the_stop_of_an_older_incarnation()
    {
        var witness = WitnessHarness.Coupled();
        witness.Reactivate();
        witness.Heartbeat(Secondary, "s1", 1);
        witness.Stopping(Primary, "p0", failOver: true).Unchanged();
        Assert.Equal(DirectorClusterState.Coupled, witness.Record.State);
    }

    [Fact]
    public void A_claim_of_a_higher_epoch_than_the_record_stops_everyone()
    {
        var witness = WitnessHarness.Coupled();
        witness.Reactivate();
        var step = witness.Heartbeat(Primary, "p1", 3, DirectorRole.Active);
        step.IsStandby(1);
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, step.Record.State);
        Assert.Null(step.Record.LostInstance);
        Assert.Equal([DirectorEventKinds.ClaimsConflict], step.Kinds());
        Assert.Equal("primary knows epoch 3, the witness only 1", step.Events[0].Detail);
        witness.AdvancePastTimeout();
        witness.Heartbeat(Primary, "p1", 3).IsStandby(1); // nobody resumes by itself
    }

    [Fact]
    public void A_claim_to_act_with_the_current_epoch_while_the_record_gives_the_role_elsewhere_stops_everyone()
    {
        var record = new DirectorClusterRecord
        {
            State = DirectorClusterState.FailedOver,
            Active = Secondary,
            Epoch = 2,
            EpochHandedOut = true,
            ActiveIncarnation = "s1",
        };
        var witness = new WitnessHarness(record);
        var step = witness.Heartbeat(Primary, "p1", 2, DirectorRole.Active);
        step.IsStandby(2);
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, step.Record.State);
        Assert.Equal("primary acts as active with epoch 2, but the witness gave it to secondary", step.Events[0].Detail);
        witness.Heartbeat(Secondary, "s1", 2, DirectorRole.Active).IsStandby(2);
    }
}
