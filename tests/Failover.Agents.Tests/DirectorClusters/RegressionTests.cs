using Failover.Agents.DirectorClusters;
using Failover.Agents.Tests.DirectorClusters.Simulation;
using static Failover.Agents.Topology.DirectorInstance;

namespace Failover.Agents.Tests.DirectorClusters;

/// <summary>Scenarios in which the witness once let two directors act at once; each seed replays its simulation run.</summary>
public sealed class RegressionTests
{
    /// <summary>Seeds that found (before the fix) a switch-over completed by a re-activated witness during the old active's lease.</summary>
    [Theory]
    [InlineData(463)]
    [InlineData(4002)]
    [InlineData(7375)]
    [InlineData(9942)]
    [InlineData(13919)]
    public void Simulation_seed_passes(int seed) => DirectorClusterSimulation.Run(seed, witnessDeafness: false); // as it was found

    /// <summary>
    /// A late heartbeat of a dead incarnation took the role back from the live one, and its silo's death then made the
    /// witness fail over while the live incarnation still acted on its lease.
    /// </summary>
    [Fact]
    public void A_late_heartbeat_of_a_dead_incarnation_neither_takes_the_role_nor_makes_the_live_one_lost()
    {
        var witness = WitnessHarness.Coupled();
        witness.Stopping(Primary, "p1", failOver: false);
        witness.SiloDead("p0"); // unrelated
        witness.Heartbeat(Primary, "p2").IsActive(2);
        witness.Heartbeat(Secondary, "s1", 2);
        Assert.Equal(DirectorClusterState.Coupled, witness.Record.State);

        witness.Advance(100);
        witness.Heartbeat(Primary, "p2", 2, DirectorRole.Active).IsActive(2); // p2 may act until now + timeout
        var late = witness.Heartbeat(Primary, "p9"); // a long-dead incarnation the witness never saw die
        late.IsStandby(2); // before: Active with epoch 3, taking the role from the live p2
        Assert.Equal("p2", late.Record.ActiveIncarnation);
        var standby = witness.Heartbeat(Secondary, "s1", 2);
        witness.Beat(Secondary, "s1", standby.Assignment); // the standby acknowledges whatever epoch it was told
        var dead = witness.SiloDead("p9");
        Assert.NotEqual(DirectorClusterState.FailedOver, dead.Record.State); // before: FailedOver while p2 still acted
        Assert.Equal(Primary, dead.Record.Active);
        witness.Heartbeat(Primary, "p2", 2, DirectorRole.Active).IsActive(2);
    }

    /// <summary>A restarted active waits until the incarnation it replaces can no longer act before it gets the role.</summary>
    [Fact]
    public void A_new_incarnation_of_the_active_gets_the_role_only_after_the_old_ones_lease()
    {
        var witness = WitnessHarness.Coupled();
        witness.Advance(100);
        witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active);
        witness.Advance(100);
        witness.Heartbeat(Primary, "p2").IsStandby(1);
        witness.Advance(900);
        witness.Heartbeat(Primary, "p2").IsStandby(1);
        witness.Advance(1);
        witness.Heartbeat(Secondary, "s1", 1);
        var step = witness.Heartbeat(Primary, "p2");
        step.IsActive(2);
        Assert.Equal(DirectorClusterState.PreparedToBeCoupled, step.Record.State);
    }

    [Fact]
    public void A_new_incarnation_of_the_active_gets_the_role_at_once_when_the_old_one_is_dead()
    {
        var witness = WitnessHarness.Coupled();
        witness.Heartbeat(Primary, "p2").IsStandby(1);
        witness.SiloDead("p1");
        witness.Heartbeat(Primary, "p2").IsActive(2);
    }
}
