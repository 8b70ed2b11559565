using Failover.Storage.Membership;
using Failover.Storage.Membership.Protocol;
using static Failover.Storage.Tests.MembershipProtocol.MembershipFixtures;

namespace Failover.Storage.Tests.MembershipProtocol;

public sealed class SuspectVotesTests
{
    private static readonly TimeSpan Expiration = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_new_vote_replaces_the_voters_old_one_and_drops_expired_votes()
    {
        SuspectVote[] votes = [Vote(Me, 3), Vote(A, 2), Vote(B, 11), Vote(C, 10)];

        var written = SuspectVotes.WithVote(votes, Me, DbNow, Expiration);

        Assert.Equal([Vote(A, 2), Vote(C, 10), new SuspectVote(Me, DbNow)], written);
    }

    [Fact]
    public void Fresh_other_voters_are_distinct_alive_and_neither_me_nor_the_suspect()
    {
        var suspect = Row(A, votes: [Vote(Me, 1), Vote(A, 1), Vote(B, 1), Vote(B, 4), Vote(C, 1), Vote(Silo(10), 20), Vote(Silo(11), 1)]);
        var snapshot = Snapshot(Row(Me), suspect, Row(B), Row(C, SiloStatus.Dead), Row(Silo(10)));

        var voters = SuspectVotes.FreshOtherVoters(suspect, snapshot, Me, Expiration);

        // Silo(11) has no row (deleted or never seen): its fresh vote still counts.
        Assert.Equal([B, Silo(11)], voters);
    }

    [Fact]
    public void Written_votes_survive_the_SuspectTimes_column_format()
    {
        var written = SuspectVotes.WithVote([Vote(B, 1.25)], Me, DbNow.AddTicks(1234), Expiration);

        var parsed = SuspectTimesFormat.Parse(SuspectTimesFormat.Format(written));

        Assert.Equal([Vote(B, 1.25), new SuspectVote(Me, DbNow)], parsed);
    }
}
