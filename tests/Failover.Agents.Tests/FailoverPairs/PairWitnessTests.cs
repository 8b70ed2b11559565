using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

public sealed class PairWitnessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan T0 = TimeSpan.FromHours(1);

    [Fact]
    public void A_fresh_witness_never_confirms_a_loss_it_cannot_know()
    {
        var witness = new PairWitness(T0);

        Assert.False(witness.Heartbeat(Report(PairRole.Secondary, 1), T0).PrimaryConfirmedDown);
        Assert.False(witness.Heartbeat(Report(PairRole.Secondary, 2), T0 + Timeout - TimeSpan.FromMilliseconds(1)).PrimaryConfirmedDown);
        Assert.True(witness.Heartbeat(Report(PairRole.Secondary, 3), T0 + Timeout).PrimaryConfirmedDown);
    }

    [Fact]
    public void It_confirms_only_after_not_hearing_the_primary_for_timeout()
    {
        var witness = new PairWitness(T0);
        var heard = T0 + TimeSpan.FromSeconds(5);
        witness.Heartbeat(Report(PairRole.Primary, 1), heard);

        Assert.False(witness.Heartbeat(Report(PairRole.Secondary, 1), heard + Timeout - TimeSpan.FromMilliseconds(1)).PrimaryConfirmedDown);
        Assert.True(witness.Heartbeat(Report(PairRole.Secondary, 2), heard + Timeout).PrimaryConfirmedDown);
    }

    [Fact]
    public void The_primary_learns_whether_the_secondary_may_run()
    {
        var witness = new PairWitness(T0);
        Assert.True(witness.Heartbeat(Report(PairRole.Primary, 1), T0).SecondaryMayRun);

        witness.Heartbeat(Report(PairRole.Secondary, 1, running: false), T0 + TimeSpan.FromSeconds(1));
        Assert.False(witness.Heartbeat(Report(PairRole.Primary, 2), T0 + TimeSpan.FromSeconds(1)).SecondaryMayRun);

        witness.Heartbeat(Report(PairRole.Secondary, 2, running: true), T0 + TimeSpan.FromSeconds(2));
        Assert.True(witness.Heartbeat(Report(PairRole.Primary, 3), T0 + TimeSpan.FromSeconds(2)).SecondaryMayRun);
    }

    [Fact]
    public void A_grant_counts_as_running_until_a_later_report_says_otherwise()
    {
        var witness = new PairWitness(T0);
        var late = T0 + TimeSpan.FromSeconds(10);
        Assert.True(witness.Heartbeat(Report(PairRole.Secondary, 7, running: false), late).PrimaryConfirmedDown);

        Assert.True(witness.SecondaryMayRun(late));
        witness.Heartbeat(Report(PairRole.Primary, 1), late);
        witness.Heartbeat(Report(PairRole.Secondary, 8, running: false), late);
        Assert.False(witness.SecondaryMayRun(late));
    }

    [Fact]
    public void A_secondary_silent_for_timeout_has_stopped()
    {
        var witness = new PairWitness(T0);
        witness.Heartbeat(Report(PairRole.Secondary, 1, running: true), T0 + TimeSpan.FromSeconds(3));

        Assert.True(witness.SecondaryMayRun(T0 + TimeSpan.FromSeconds(4)));
        Assert.False(witness.SecondaryMayRun(T0 + TimeSpan.FromSeconds(5)));
    }

    private static WitnessReport Report(PairRole role, long sequence, bool running = false) => new(
        "agent", role, PairBehavior.Standard, role == PairRole.Primary ? "node-a" : "node-b", null, $"boot-{role}", sequence,
        running, PeerUp: false, CentralUp: true, PairDecision.Stop, Timeout);
}
