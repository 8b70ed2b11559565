using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using static Failover.Agents.Topology.DirectorInstance;

namespace Failover.Agents.Tests.DirectorClusters;

public sealed class AppointmentAndCouplingTests
{
    [Fact]
    public void The_primary_gets_epoch_1_on_its_first_heartbeat()
    {
        var witness = new WitnessHarness();
        var step = witness.Heartbeat(Primary, "p1");
        step.IsActive(1);
        Assert.True(step.Changed);
        Assert.Equal([DirectorEventKinds.Activated], step.Kinds());
        Assert.Equal(new DirectorClusterRecord { Epoch = 1, EpochHandedOut = true, ActiveIncarnation = "p1" }, step.Record);
        Assert.Equal(WitnessHarness.Timeout, step.Assignment!.Lease);
    }

    [Fact]
    public void The_secondary_alone_stays_standby_and_nothing_changes()
    {
        var witness = new WitnessHarness();
        witness.Heartbeat(Secondary, "s1").IsStandby(0);
        witness.AdvancePastTimeout();
        witness.AdvancePastTimeout();
        witness.Tick().Unchanged();
        witness.Heartbeat(Secondary, "s1").Unchanged();
        Assert.Equal(DirectorClusterState.NodesAppointed, witness.Record.State);
    }

    [Fact]
    public void Before_anyone_was_active_nobody_is_lost()
    {
        var witness = new WitnessHarness();
        witness.Heartbeat(Secondary, "s1");
        witness.SiloDead("s1").Unchanged();
        witness.Stopping(Primary, "p1", failOver: true).Unchanged();
        Assert.Equal(DirectorClusterState.NodesAppointed, witness.Record.State);
    }

    [Theory]
    [InlineData(0, DirectorRole.Standby, DirectorClusterState.PreparedToBeCoupled, false)]
    [InlineData(1, DirectorRole.Standby, DirectorClusterState.Coupled, true)]
    public void The_standby_couples_once_it_acknowledges_the_current_epoch(long knownEpoch, DirectorRole acting, DirectorClusterState expected, bool coupledEvent)
    {
        var witness = new WitnessHarness();
        witness.Heartbeat(Primary, "p1");
        var step = witness.Heartbeat(Secondary, "s1", knownEpoch, acting);
        step.IsStandby(1);
        Assert.True(step.Changed);
        Assert.Equal(expected, step.Record.State);
        Assert.Equal(coupledEvent ? [DirectorEventKinds.Coupled] : [], step.Kinds());
        Assert.Equal(coupledEvent ? "s1" : null, step.Record.CoupledStandbyIncarnation);
    }

    [Fact]
    public void Repeated_heartbeats_change_nothing()
    {
        var witness = WitnessHarness.Coupled();
        for (var i = 0; i < 5; i++)
        {
            witness.Advance(300);
            witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active).IsActive(1);
            witness.Heartbeat(Secondary, "s1", 1).IsStandby(1);
            witness.Tick().Unchanged();
        }

        Assert.Equal(1, witness.Record.Epoch);
    }

    [Fact]
    public void The_active_is_kept_while_it_heartbeats_within_the_timeout()
    {
        var witness = WitnessHarness.Coupled();
        witness.Advance(1000); // exactly the timeout: not yet lost
        witness.Tick().Unchanged();
        witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active).IsActive(1);
        Assert.Equal(DirectorClusterState.Coupled, witness.Record.State);
    }
}
