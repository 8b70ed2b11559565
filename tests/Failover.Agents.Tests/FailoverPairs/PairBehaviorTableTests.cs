using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

/// <summary>Every cell of DESIGN §5's two standard tables, and the simple behavior, on the pure state machine.</summary>
public sealed class PairBehaviorTableTests
{
    public static TheoryData<PairRole, bool, bool, PairDecision> StandardCells => new()
    {
        // primary         secondary up  central up  decision
        { PairRole.Primary, true, true, PairDecision.Start },
        { PairRole.Primary, true, false, PairDecision.Start },
        { PairRole.Primary, false, true, PairDecision.Start },
        { PairRole.Primary, false, false, PairDecision.Stop },

        // secondary       primary up    central up
        { PairRole.Secondary, true, true, PairDecision.Stop },
        { PairRole.Secondary, true, false, PairDecision.Stop },
        { PairRole.Secondary, false, true, PairDecision.VerifyWithCentral },
        { PairRole.Secondary, false, false, PairDecision.Stop },
    };

    public static TheoryData<PairRole, bool, bool, PairDecision> SimpleCells => new()
    {
        { PairRole.Primary, true, true, PairDecision.Start },
        { PairRole.Primary, true, false, PairDecision.Start },
        { PairRole.Primary, false, true, PairDecision.Start },
        { PairRole.Primary, false, false, PairDecision.Start },
        { PairRole.Secondary, true, true, PairDecision.Stop },
        { PairRole.Secondary, true, false, PairDecision.Stop },
        { PairRole.Secondary, false, true, PairDecision.Start },
        { PairRole.Secondary, false, false, PairDecision.Start },
    };

    [Theory]
    [MemberData(nameof(StandardCells))]
    public void Standard_behavior_cell(PairRole role, bool peerUp, bool centralUp, PairDecision expected)
    {
        var step = Drive(new PairDriver(role, PairBehavior.Standard).AfterOptimisticWindow(), peerUp, centralUp);

        Assert.Equal(peerUp, step.PeerUp);
        Assert.Equal(centralUp, step.CentralUp);
        Assert.Equal(expected, step.Decision);
    }

    [Theory]
    [MemberData(nameof(SimpleCells))]
    public void Simple_behavior_cell(PairRole role, bool peerUp, bool centralUp, PairDecision expected)
    {
        var step = Drive(new PairDriver(role, PairBehavior.Simple).AfterOptimisticWindow(), peerUp, centralUp);

        Assert.Equal(expected, step.Decision);
    }

    [Fact]
    public void Secondary_with_the_primary_down_and_central_up_starts_once_central_confirms()
    {
        var pair = new PairDriver(PairRole.Secondary, PairBehavior.Standard).AfterOptimisticWindow();
        Assert.Equal(PairDecision.VerifyWithCentral, pair.Witness(primaryConfirmedDown: false).Decision);
        Assert.False(pair.AgentRunning);

        var step = pair.Witness(primaryConfirmedDown: true);

        Assert.Equal(PairDecision.Start, step.Decision);
        Assert.True(pair.AgentRunning);
        Assert.Equal("primary down, central confirms → start", step.Reason);
    }

    [Fact]
    public void Secondary_entering_verification_asks_the_witness_at_once()
    {
        var pair = new PairDriver(PairRole.Secondary, PairBehavior.Standard);
        pair.Advance(PairDriver.Timing.Timeout - TimeSpan.FromMilliseconds(500));
        pair.Witness();

        var step = pair.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(PairDecision.VerifyWithCentral, step.Decision);
        Assert.Contains(PairCommand.AskWitness, step.Commands);
    }

    [Fact]
    public void Secondary_does_not_start_on_a_confirmation_asked_while_it_still_heard_the_primary()
    {
        var pair = new PairDriver(PairRole.Secondary, PairBehavior.Standard).AfterOptimisticWindow();
        pair.PeerHeartbeat();
        pair.Advance(PairDriver.Timing.Timeout - TimeSpan.FromMilliseconds(500));
        pair.Witness(primaryConfirmedDown: true);

        var step = pair.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(PairDecision.VerifyWithCentral, step.Decision);
        Assert.Equal(PairDecision.Start, pair.Witness(primaryConfirmedDown: true).Decision);
    }

    [Fact]
    public void Running_secondary_stops_when_the_primary_is_heard_again()
    {
        var pair = new PairDriver(PairRole.Secondary, PairBehavior.Standard).AfterOptimisticWindow();
        pair.Witness(primaryConfirmedDown: true);
        Assert.True(pair.AgentRunning);

        var step = pair.PeerHeartbeat();

        Assert.Equal(PairDecision.Stop, step.Decision);
        Assert.True(step.DecisionChanged);
        Assert.False(pair.AgentRunning);
        Assert.False(pair.Machine.ReportsRunning);
    }

    [Fact]
    public void Secondary_does_not_start_before_it_could_have_heard_the_primary()
    {
        // VOLTTRON issue 848: the peer counts up for timeout after start.
        var pair = new PairDriver(PairRole.Secondary, PairBehavior.Simple);

        Assert.Equal(PairDecision.Stop, pair.Advance(PairDriver.Timing.Timeout - TimeSpan.FromMilliseconds(1)).Decision);
        Assert.False(pair.AgentRunning);
        Assert.Equal(PairDecision.Start, pair.Advance(TimeSpan.FromMilliseconds(1)).Decision);
    }

    [Fact]
    public void Primary_waits_until_the_secondary_has_released_the_agent()
    {
        var pair = new PairDriver(PairRole.Primary, PairBehavior.Standard);

        var step = pair.PeerHeartbeat(peerRunning: true);
        Assert.Equal(PairDecision.AwaitPeerRelease, step.Decision);
        Assert.False(pair.AgentRunning);

        step = pair.PeerHeartbeat(peerRunning: false);
        Assert.Equal(PairDecision.Start, step.Decision);
        Assert.True(pair.AgentRunning);
    }

    [Fact]
    public void Primary_may_start_when_central_says_the_secondary_does_not_run()
    {
        var pair = new PairDriver(PairRole.Primary, PairBehavior.Standard);
        Assert.Equal(PairDecision.AwaitPeerRelease, pair.Witness(secondaryMayRun: true).Decision);

        Assert.Equal(PairDecision.Start, pair.Witness(secondaryMayRun: false).Decision);
    }

    [Fact]
    public void Primary_stops_guard_before_its_views_could_lapse_on_the_other_side()
    {
        var pair = new PairDriver(PairRole.Primary, PairBehavior.Standard).AfterOptimisticWindow();
        pair.PeerHeartbeat();
        pair.Witness();
        Assert.True(pair.AgentRunning);

        var lapse = PairDriver.Timing.Timeout - PairDriver.Timing.Guard;
        Assert.Equal(PairDecision.Start, pair.Advance(lapse - TimeSpan.FromMilliseconds(1)).Decision);
        var step = pair.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(PairDecision.Stop, step.Decision);
        Assert.Equal("secondary down, central down → stop", step.Reason);
        Assert.False(pair.AgentRunning);
    }

    [Fact]
    public void Lost_lease_is_central_down()
    {
        var pair = new PairDriver(PairRole.Primary, PairBehavior.Standard).AfterOptimisticWindow();
        pair.Witness();
        Assert.True(pair.AgentRunning);

        var step = pair.Lease(valid: false);

        Assert.False(step.CentralUp);
        Assert.Equal(PairDecision.Stop, step.Decision);
    }

    [Fact]
    public void An_agent_that_died_while_it_should_run_is_started_again_after_the_restart_delay()
    {
        var pair = new PairDriver(PairRole.Primary, PairBehavior.Simple);
        pair.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(pair.AgentRunning);

        var died = pair.AgentDied();
        Assert.Empty(died.Commands);
        Assert.False(pair.AgentRunning);
        Assert.True(died.NextDecisionAt <= pair.Now + PairTiming.RestartDelay);

        pair.Advance(PairTiming.RestartDelay);
        Assert.True(pair.AgentRunning);
    }

    [Fact]
    public void Simple_secondary_starts_again_an_agent_it_once_stopped()
    {
        // VOLTTRON's simple secondary never restarted an agent it had stopped once.
        var pair = new PairDriver(PairRole.Secondary, PairBehavior.Simple).AfterOptimisticWindow();
        Assert.True(pair.AgentRunning);
        pair.PeerHeartbeat();
        Assert.False(pair.AgentRunning);

        pair.Advance(PairDriver.Timing.Timeout);

        Assert.True(pair.AgentRunning);
    }

    [Fact]
    public void Decisions_are_taken_at_least_once_a_second_and_at_the_next_lapse()
    {
        var pair = new PairDriver(PairRole.Secondary, PairBehavior.Standard);
        var step = pair.PeerHeartbeat();

        Assert.True(step.NextDecisionAt <= pair.Now + PairTiming.MaxDecisionInterval);
        pair.Advance(TimeSpan.FromMilliseconds(2500));
        Assert.Equal(pair.Now + TimeSpan.FromMilliseconds(500), pair.Machine.Tick(pair.Now).NextDecisionAt);
    }

    private static PairStep Drive(PairDriver pair, bool peerUp, bool centralUp)
    {
        if (peerUp)
        {
            pair.PeerHeartbeat();
        }

        if (centralUp)
        {
            pair.Witness();
        }

        return pair.Advance(TimeSpan.FromMilliseconds(1));
    }
}
