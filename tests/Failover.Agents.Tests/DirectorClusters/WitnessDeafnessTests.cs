using Failover.Agents.DirectorClusters;
using static Failover.Agents.Topology.DirectorInstance;

namespace Failover.Agents.Tests.DirectorClusters;

/// <summary>
/// The witness judges the directors' silence, never its own: a witness that could take no input for a while (its
/// silo lost the database, so its calls and timer ticks were held; a write kept its turn waiting; it was re-activated
/// and its first calls waited) gives every director a full heartbeat timeout from when it hears again. And an alarm it
/// raised is cleared with an event when the instance it judged lost is heard again.
/// </summary>
public sealed class WitnessDeafnessTests
{
    [Fact]
    public void A_witness_reactivated_from_a_coupled_record_that_hears_the_active_within_the_timeout_raises_no_alarm()
    {
        var witness = WitnessHarness.Coupled();
        witness.Reactivate();
        witness.Deaf(1500); // the fresh activation's first calls waited for its silo's node lease
        witness.Tick().Unchanged();
        witness.Advance(100);
        witness.Heartbeat(Primary, "p1", 1).IsActive(1);
        witness.Heartbeat(Secondary, "s1", 1).Unchanged();

        Assert.Equal(DirectorClusterState.Coupled, witness.Record.State);
        Assert.Equal(Primary, witness.Record.Active);
        Assert.Equal(1, witness.Record.Epoch);
        Assert.DoesNotContain(witness.Events, e => e.Kind == DirectorEventKinds.NodeLossNotConfirmed);
    }

    [Theory]
    [InlineData(600)]
    [InlineData(1500)]
    [InlineData(5000)]
    public void A_witness_that_could_take_no_input_does_not_count_that_time_as_the_directors_silence(double deafMs)
    {
        var witness = WitnessHarness.Coupled();
        BothBeat(witness, 1000);
        witness.Deaf(deafMs); // the database was unreachable: calls and ticks waited, then were refused
        witness.Tick().Unchanged(); // the timer's tick runs first when the witness hears again
        witness.Advance(100);
        witness.Heartbeat(Primary, "p1", 1).IsActive(1); // its lease ran out meanwhile: it no longer says Active
        witness.Heartbeat(Secondary, "s1", 1).Unchanged();
        BothBeat(witness, 2000);

        Assert.Equal(DirectorClusterState.Coupled, witness.Record.State);
        Assert.Equal(1, witness.Record.Epoch);
        Assert.DoesNotContain(witness.Events, e => e.Kind != DirectorEventKinds.Activated && e.Kind != DirectorEventKinds.Coupled);
    }

    [Fact]
    public void A_witness_that_hears_again_still_fails_over_from_an_active_that_stays_silent_for_the_timeout()
    {
        var witness = WitnessHarness.Coupled();
        witness.Deaf(5000);
        witness.Tick().Unchanged();
        for (var i = 0; i < 4; i++)
        {
            witness.Heartbeat(Secondary, "s1", 1).IsStandby(1);
            witness.Advance(250);
        }

        witness.Tick().Unchanged(); // watched for exactly the timeout since it heard again
        witness.Advance(1);
        var failedOver = witness.Tick();
        Assert.Equal(DirectorClusterState.FailedOver, failedOver.Record.State);
        Assert.Equal([DirectorEventKinds.FailedOver], failedOver.Kinds());
        Assert.DoesNotContain(witness.Events, e => e.Kind == DirectorEventKinds.NodeLossNotConfirmed);
        witness.Heartbeat(Secondary, "s1", 1).IsActive(2);
    }

    [Fact]
    public void A_witness_that_hears_again_counts_a_dead_actives_loss_at_once()
    {
        var witness = WitnessHarness.Coupled();
        witness.Deaf(5000);
        witness.Heartbeat(Secondary, "s1", 1);
        var step = witness.SiloDead("p1");
        Assert.Equal(DirectorClusterState.FailedOver, step.Record.State);
    }

    [Fact]
    public void A_fresh_witness_raises_no_alarm_about_a_dead_active_before_it_could_hear_its_restart()
    {
        var witness = new WitnessHarness(NotCoupledRecord());
        witness.SiloDead("p1").Unchanged(); // the witness has heard nobody yet: primary may be restarting
        witness.Advance(300);
        var back = witness.Heartbeat(Primary, "p2");
        back.IsActive(2);
        Assert.Equal([DirectorEventKinds.Activated], back.Kinds());
        Assert.DoesNotContain(witness.Events, e => e.Kind == DirectorEventKinds.NodeLossNotConfirmed);
    }

    [Fact]
    public void A_fresh_witness_raises_the_alarm_about_a_dead_active_once_it_has_watched_for_the_timeout()
    {
        var witness = new WitnessHarness(NotCoupledRecord());
        witness.SiloDead("p1").Unchanged();
        witness.Advance(1000);
        witness.Heartbeat(Secondary, "s1", 1).IsStandby(1);
        Assert.Equal(DirectorClusterState.PreparedToBeCoupled, witness.Record.State);
        witness.Advance(1);
        var alarm = witness.Tick();
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, alarm.Record.State);
        Assert.Equal([DirectorEventKinds.NodeLossNotConfirmed], alarm.Kinds());
    }

    [Fact]
    public void A_suspected_loss_read_from_the_record_is_cleared_with_an_event_and_the_cluster_couples_again()
    {
        var record = new DirectorClusterRecord
        {
            State = DirectorClusterState.NodeLossNotConfirmed,
            Active = Primary,
            Epoch = 1,
            EpochHandedOut = true,
            ActiveIncarnation = "p1",
            CoupledStandbyIncarnation = "s1",
            LostInstance = Primary,
        };
        var witness = new WitnessHarness(record);

        var back = witness.Heartbeat(Primary, "p1", 1);
        back.IsActive(1);
        Assert.Equal([DirectorEventKinds.LossCleared], back.Kinds());
        Assert.Equal("primary (p1) is heard again: the alarm is cleared, it stays active with epoch 1", back.Events[0].Detail);
        Assert.NotEqual(DirectorClusterState.NodeLossNotConfirmed, back.Record.State);
        Assert.Null(back.Record.LostInstance);

        var coupled = witness.Heartbeat(Secondary, "s1", 1);
        Assert.Equal(DirectorClusterState.Coupled, coupled.Record.State);
        Assert.Equal([DirectorEventKinds.Coupled], coupled.Kinds());
        Assert.Equal(1, coupled.Record.Epoch);
    }

    [Fact]
    public void An_alarm_raised_while_both_directors_were_silent_is_cleared_when_they_are_heard_again()
    {
        var witness = WitnessHarness.Coupled();
        witness.AdvancePastTimeout(); // both directors cut off from the witness, which listens all along
        var alarm = witness.Tick();
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, alarm.Record.State);
        Assert.Equal([DirectorEventKinds.NodeLossNotConfirmed], alarm.Kinds());

        var back = witness.Heartbeat(Primary, "p1", 1);
        back.IsActive(1);
        Assert.Equal([DirectorEventKinds.LossCleared, DirectorEventKinds.PassiveLost], back.Kinds());
        Assert.Equal(DirectorClusterState.PassiveLost, back.Record.State);

        var coupled = witness.Heartbeat(Secondary, "s1", 1);
        Assert.Equal(DirectorClusterState.Coupled, coupled.Record.State);
        Assert.Equal([DirectorEventKinds.Coupled], coupled.Kinds());
        Assert.Equal(Primary, coupled.Record.Active);
        Assert.Equal(1, coupled.Record.Epoch);
    }

    [Fact]
    public void A_suspected_loss_is_cleared_with_an_event_when_a_new_incarnation_of_the_lost_active_is_heard()
    {
        var witness = WitnessHarness.Coupled();
        witness.AdvancePastTimeout();
        witness.Tick();
        Assert.Equal(DirectorClusterState.NodeLossNotConfirmed, witness.Record.State);

        var back = witness.Heartbeat(Primary, "p2");
        Assert.Equal(DirectorEventKinds.LossCleared, back.Kinds()[0]);
        Assert.Equal("primary is heard again as a new incarnation (p2): the alarm is cleared, it becomes active with a new epoch", back.Events[0].Detail);
        back.IsActive(2);
    }

    /// <summary>Primary p1 active with epoch 1; the standby has not acknowledged it, so the witness may not fail over by itself.</summary>
    private static DirectorClusterRecord NotCoupledRecord() => new()
    {
        State = DirectorClusterState.PreparedToBeCoupled,
        Active = Primary,
        Epoch = 1,
        EpochHandedOut = true,
        ActiveIncarnation = "p1",
    };

    /// <summary>Both directors heartbeat every period for <paramref name="milliseconds"/>, the active as active.</summary>
    private static void BothBeat(WitnessHarness witness, double milliseconds)
    {
        for (var elapsed = 0.0; elapsed < milliseconds; elapsed += WitnessHarness.Period.TotalMilliseconds)
        {
            witness.Heartbeat(Primary, "p1", 1, DirectorRole.Active).IsActive(1);
            witness.Heartbeat(Secondary, "s1", 1).IsStandby(1);
            witness.Advance(WitnessHarness.Period.TotalMilliseconds);
        }
    }
}
