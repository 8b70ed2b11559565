using Failover.Runtime.Configuration;
using Failover.Runtime.Membership;
using Failover.Runtime.Membership.Protocol;
using static Failover.Runtime.Tests.MembershipProtocol.MembershipFixtures;

namespace Failover.Runtime.Tests.MembershipProtocol;

public sealed class MembershipDecisionsTests
{
    [Theory]
    [InlineData(SiloStatus.Dead, LocalMembershipPhase.Joined, "marked Dead")]
    [InlineData(null, LocalMembershipPhase.Joined, "gone from the membership table")]
    [InlineData(SiloStatus.Dead, LocalMembershipPhase.NotJoined, null)]
    [InlineData(null, LocalMembershipPhase.NotJoined, null)]
    [InlineData(SiloStatus.Dead, LocalMembershipPhase.Left, null)]
    [InlineData(null, LocalMembershipPhase.Left, null)]
    public void Own_row_dead_or_gone_after_joining_exits_and_does_nothing_else(SiloStatus? myStatus, LocalMembershipPhase phase, string? reason)
    {
        MembershipEntry[] peers = [Row(A, aliveSecondsAgo: 60), Row(B)];
        var snapshot = Snapshot(myStatus is { } status ? [Row(Me, status), .. peers] : peers);

        var commands = Decide(snapshot, Probes((B, 5, true)), phase);

        if (reason is null)
        {
            Assert.Empty(commands);
        }
        else
        {
            var exit = Assert.IsType<ExitSelf>(Assert.Single(commands));
            Assert.Contains(reason, exit.Reason, StringComparison.Ordinal);
            Assert.Contains(Me.ToString(), exit.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Leases_are_not_judged_until_this_silo_has_held_its_own_for_DeathTimeout_but_probes_still_count()
    {
        // Right after a database outage every row looks stale; the first silo back must not declare the others dead.
        var snapshot = Snapshot(Row(Me), Row(A, aliveSecondsAgo: 60), Row(B));

        var commands = MembershipDecisions.Decide(snapshot, Me, LocalMembershipPhase.Joined, Probes((B, 1, true)), new MembershipOptions(), judgeLeases: false);

        Assert.DoesNotContain(commands, c => c is DeclareDead { Cause: DeathCause.LeaseExpired });
        Assert.Contains(commands, c => c is DeclareDead { Silo: var silo } && silo == B || c is AddSuspicion { Silo: var suspect } && suspect == B);
    }

    [Theory]
    [InlineData(SiloStatus.Created)]
    [InlineData(SiloStatus.Joining)]
    [InlineData(SiloStatus.ShuttingDown)]
    [InlineData(SiloStatus.Stopping)]
    public void A_silo_that_is_not_Active_neither_votes_nor_declares_deaths(SiloStatus myStatus)
    {
        var snapshot = Snapshot(Row(Me, myStatus), Row(A, aliveSecondsAgo: 60), Row(B));

        Assert.Empty(Decide(snapshot, Probes((B, 10, true))));
    }

    [Theory]
    [InlineData(SiloStatus.Joining, 1.6, true)]
    [InlineData(SiloStatus.Active, 1.6, true)]
    [InlineData(SiloStatus.ShuttingDown, 1.6, true)]
    [InlineData(SiloStatus.Stopping, 1.6, true)]
    [InlineData(SiloStatus.Active, 1.5, false)]
    [InlineData(SiloStatus.Active, 1.499, false)]
    [InlineData(SiloStatus.Active, -0.2, false)]
    [InlineData(SiloStatus.Created, 60, false)]
    [InlineData(SiloStatus.Dead, 60, false)]
    public void A_peer_whose_lease_is_older_than_DeathTimeout_on_the_database_clock_is_declared_dead(SiloStatus peerStatus, double aliveSecondsAgo, bool dead)
    {
        var snapshot = Snapshot(Row(Me), Row(A, peerStatus, aliveSecondsAgo), Row(B));

        var commands = Decide(snapshot);

        if (!dead)
        {
            Assert.Empty(commands);
            return;
        }

        var declared = Assert.IsType<DeclareDead>(Assert.Single(commands));
        Assert.Equal(A, declared.Silo);
        Assert.Equal(DeathCause.LeaseExpired, declared.Cause);
        Assert.Contains("1600 ms old", declared.Reason, StringComparison.Ordinal);
        Assert.Contains("100 ms past DeathTimeout 1500 ms", declared.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Lease_expiry_wins_over_suspicion_and_needs_no_votes()
    {
        var snapshot = Snapshot(Row(Me), Row(A, aliveSecondsAgo: 2), Row(B), Row(C));

        var declared = Assert.IsType<DeclareDead>(Assert.Single(Decide(snapshot, Probes((A, 5, false)))));

        Assert.Equal(DeathCause.LeaseExpired, declared.Cause);
    }

    public static TheoryData<int, bool, int, string> ProbeCases => new()
    {
        // failures, refused, active silos (me included), expected: none | suspect | dead
        { 0, false, 3, "none" },
        { 2, false, 3, "none" },
        { 3, false, 3, "suspect" },
        { 7, false, 3, "suspect" },
        { 1, true, 3, "suspect" },
        { 2, false, 2, "none" },
        { 3, false, 2, "dead" },
        { 1, true, 2, "dead" },
        { 3, false, 5, "suspect" },
    };

    [Theory]
    [MemberData(nameof(ProbeCases))]
    public void Missed_or_refused_probes_suspect_and_one_vote_kills_only_where_half_the_active_silos_is_one(int failures, bool refused, int activeSilos, string expected)
    {
        MembershipEntry[] others = [.. Enumerable.Range(10, activeSilos - 2).Select(n => Row(Silo(n)))];
        var snapshot = Snapshot([Row(Me), Row(A), .. others]);

        var commands = Decide(snapshot, Probes((A, failures, refused)));

        switch (expected)
        {
            case "none":
                Assert.Empty(commands);
                break;
            case "suspect":
                var suspicion = Assert.IsType<AddSuspicion>(Assert.Single(commands));
                Assert.Equal(new AddSuspicion(A, 1, 2, suspicion.Reason), suspicion);
                Assert.Contains(refused ? "refused" : $"{failures} missed probes", suspicion.Reason, StringComparison.Ordinal);
                break;
            default:
                var declared = Assert.IsType<DeclareDead>(Assert.Single(commands));
                Assert.Equal((A, DeathCause.SuspicionQuorum), (declared.Silo, declared.Cause));
                Assert.Contains("1 of 1 votes", declared.Reason, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public void Three_silos_first_round_suspects_then_a_second_fresh_vote_kills()
    {
        var probes = Probes((A, 3, false));

        var first = Decide(Snapshot(Row(Me), Row(A), Row(B)), probes);
        var second = Decide(Snapshot(Row(Me), Row(A, votes: Vote(B, 1)), Row(B)), probes);

        Assert.Equal(new AddSuspicion(A, 1, 2, "3 missed probes in a row"), Assert.Single(first));
        var declared = Assert.IsType<DeclareDead>(Assert.Single(second));
        Assert.Equal((A, DeathCause.SuspicionQuorum), (declared.Silo, declared.Cause));
        Assert.Contains($"2 of 2 votes needed ({Me}, {B})", declared.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, SuspectVote[], SiloStatus, Type?> VoteCases => new()
    {
        // B's row status, votes on A → expected command (null: none)
        { "fresh vote of B", [Vote(B, 1)], SiloStatus.Active, typeof(DeclareDead) },
        { "vote exactly at expiration", [Vote(B, 10)], SiloStatus.Active, typeof(DeclareDead) },
        { "stale vote of B", [Vote(B, 10.001)], SiloStatus.Active, typeof(AddSuspicion) },
        { "vote by a Dead voter", [Vote(B, 1)], SiloStatus.Dead, typeof(AddSuspicion) },
        { "vote by a ShuttingDown voter", [Vote(B, 1)], SiloStatus.ShuttingDown, typeof(DeclareDead) },
        { "my own stale vote, re-voted", [Vote(Me, 30)], SiloStatus.Active, typeof(AddSuspicion) },
        { "my own fresh vote, not counted twice", [Vote(Me, 1)], SiloStatus.Active, null },
        { "vote of the suspect itself", [Vote(A, 1)], SiloStatus.Active, typeof(AddSuspicion) },
    };

    [Theory]
    [MemberData(nameof(VoteCases))]
    public void Only_fresh_votes_of_other_live_silos_count(string because, SuspectVote[] votes, SiloStatus voterStatus, Type? expected)
    {
        // Me, A, C Active (+ B Active unless it is not): with B Active, 4 active → 2 votes; else 3 → 2 votes.
        var snapshot = Snapshot(Row(Me), Row(A, votes: votes), Row(B, voterStatus), Row(C));

        var commands = Decide(snapshot, Probes((A, 3, false)));

        if (expected is null)
        {
            Assert.True(commands.Count == 0, because);
        }
        else
        {
            Assert.True(Assert.Single(commands).GetType() == expected, because);
        }
    }

    [Fact]
    public void Votes_are_counted_per_distinct_voter()
    {
        // Six Active silos and NumVotesForDeath 3: three voters needed; B voting twice is still one.
        var options = new MembershipOptions { NumVotesForDeath = 3 };
        MembershipEntry[] rows = [Row(Me), Row(A, votes: [Vote(B, 1), Vote(B, 2)]), Row(B), Row(C), Row(Silo(10)), Row(Silo(11))];

        var commands = Decide(Snapshot(rows), Probes((A, 3, false)), options: options);

        Assert.Equal(new AddSuspicion(A, 2, 3, "3 missed probes in a row"), Assert.Single(commands));
    }

    [Fact]
    public void A_single_vote_kills_when_NumVotesForDeath_is_one()
    {
        var options = new MembershipOptions { NumVotesForDeath = 1 };

        var commands = Decide(Snapshot(Row(Me), Row(A), Row(B), Row(C)), Probes((A, 3, false)), options: options);

        Assert.Equal(DeathCause.SuspicionQuorum, Assert.IsType<DeclareDead>(Assert.Single(commands)).Cause);
    }

    [Theory]
    [InlineData(SiloStatus.Joining)]
    [InlineData(SiloStatus.ShuttingDown)]
    public void Failed_probes_of_a_Joining_or_ShuttingDown_peer_count_like_any_other(SiloStatus peerStatus)
    {
        // Me, B Active and A not: ceil(2/2) = 1 vote suffices.
        var commands = Decide(Snapshot(Row(Me), Row(A, peerStatus), Row(B)), Probes((A, 3, false)));

        var declared = Assert.IsType<DeclareDead>(Assert.Single(commands));
        Assert.Equal((A, DeathCause.SuspicionQuorum), (declared.Silo, declared.Cause));
    }

    [Fact]
    public void Dead_peers_are_ignored_whatever_their_lease_and_probes()
    {
        var snapshot = Snapshot(Row(Me), Row(A, SiloStatus.Dead, aliveSecondsAgo: 600), Row(B));

        Assert.Empty(Decide(snapshot, Probes((A, 9, true))));
    }

    [Fact]
    public void Each_peer_is_decided_on_its_own()
    {
        var snapshot = Snapshot(Row(Me), Row(A, aliveSecondsAgo: 5), Row(B), Row(C), Row(Silo(10)));

        var commands = Decide(snapshot, Probes((B, 3, false), (C, 0, false), (Silo(10), 1, true)));

        Assert.Equal(3, commands.Count);
        Assert.Equal(A, Assert.IsType<DeclareDead>(commands[0]).Silo);
        Assert.Equal(B, Assert.IsType<AddSuspicion>(commands[1]).Silo);
        Assert.Equal(Silo(10), Assert.IsType<AddSuspicion>(commands[2]).Silo);
    }

    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 3, 2)]
    [InlineData(2, 4, 2)]
    [InlineData(2, 9, 2)]
    [InlineData(3, 5, 3)]
    [InlineData(3, 4, 2)]
    [InlineData(1, 9, 1)]
    [InlineData(2, 0, 1)]
    public void Votes_needed_is_NumVotesForDeath_capped_at_half_the_active_silos_rounded_up(int numVotesForDeath, int activeSilos, int expected)
    {
        Assert.Equal(expected, MembershipDecisions.VotesNeeded(numVotesForDeath, activeSilos));
    }
}
