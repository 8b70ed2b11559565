using Failover.Agents.DirectorClusters;
using static Failover.Agents.Topology.DirectorInstance;

namespace Failover.Agents.Tests.DirectorClusters;

public sealed class ShutDownTests
{
    [Fact]
    public void A_normal_stop_of_the_active_is_no_fail_over()
    {
        var witness = WitnessHarness.Coupled();
        var step = witness.Stopping(Primary, "p1", failOver: false);
        Assert.Equal(DirectorClusterState.ActiveShutDown, step.Record.State);
        Assert.Equal([DirectorEventKinds.ShutDown], step.Kinds());
        for (var i = 0; i < 5; i++)
        {
            witness.AdvancePastTimeout();
            witness.Heartbeat(Secondary, "s1", 1).IsStandby(1);
            witness.Tick().Unchanged();
        }

        Assert.Equal(Primary, witness.Record.Active);
        witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active).IsStandby(1); // the stopped incarnation never acts again
    }

    [Theory]
    [InlineData(true, DirectorClusterState.PreparedToBeCoupled)]
    [InlineData(false, DirectorClusterState.PassiveLost)]
    public void The_active_resumes_with_a_new_epoch_when_back(bool standbyHeard, DirectorClusterState expected)
    {
        var witness = WitnessHarness.Coupled();
        witness.Stopping(Primary, "p1", failOver: false);
        witness.AdvancePastTimeout();
        if (standbyHeard)
        {
            witness.Heartbeat(Secondary, "s1", 1);
        }

        var back = witness.Heartbeat(Primary, "p2");
        back.IsActive(2);
        Assert.Equal(expected, back.Record.State);
        Assert.Equal("p2", back.Record.ActiveIncarnation);
        Assert.Equal([DirectorEventKinds.Activated], back.Kinds());
        if (standbyHeard)
        {
            Assert.Equal(DirectorClusterState.Coupled, witness.Heartbeat(Secondary, "s1", 2).Record.State);
        }
    }

    [Fact]
    public void A_stop_with_fail_over_is_a_loss()
    {
        var witness = WitnessHarness.Coupled();
        var step = witness.Stopping(Primary, "p1", failOver: true);
        Assert.Equal(DirectorClusterState.FailedOver, step.Record.State);
        Assert.Equal(Secondary, step.Record.Active);
    }

    [Fact]
    public void The_stop_of_another_incarnation_of_the_active_is_no_shut_down()
    {
        var witness = WitnessHarness.Coupled();
        var step = witness.Stopping(Primary, "p0", failOver: false);
        step.Unchanged();
        Assert.Equal(DirectorClusterState.Coupled, step.Record.State);
    }

    [Fact]
    public void A_stop_of_the_active_during_a_switch_over_completes_the_switch()
    {
        var witness = WitnessHarness.Coupled();
        witness.SwitchOver();
        var step = witness.Stopping(Primary, "p1", failOver: false);
        Assert.Equal(DirectorClusterState.SwitchedOver, step.Record.State);
        Assert.Equal(Secondary, step.Record.Active);
    }
}
