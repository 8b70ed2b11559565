namespace Failover.Runtime.Membership.Protocol;

/// <summary>Reading and writing the suspicion votes of a row. Vote times are on the database clock.</summary>
public static class SuspectVotes
{
    public static bool IsFresh(SuspectVote vote, DateTime databaseTime, TimeSpan expiration) =>
        databaseTime - vote.Time <= expiration;

    /// <summary>
    /// Distinct silos other than <paramref name="localSilo"/> (and the suspect itself) with a fresh vote on
    /// <paramref name="suspect"/>, leaving out voters whose own row is Dead.
    /// </summary>
    public static IReadOnlyList<SiloAddress> FreshOtherVoters(
        MembershipEntry suspect, MembershipSnapshot snapshot, SiloAddress localSilo, TimeSpan expiration) =>
        [.. suspect.SuspectTimes
            .Where(v => v.Voter != localSilo && v.Voter != suspect.Address && IsFresh(v, snapshot.DatabaseTime, expiration))
            .Select(v => v.Voter)
            .Distinct()
            .Where(voter => snapshot.Find(voter) is not { Status: SiloStatus.Dead })];

    public static bool HasFreshVote(MembershipEntry suspect, SiloAddress voter, DateTime databaseTime, TimeSpan expiration) =>
        suspect.SuspectTimes.Any(v => v.Voter == voter && IsFresh(v, databaseTime, expiration));

    /// <summary>The votes with <paramref name="voter"/>'s replaced by one at <paramref name="time"/>; expired votes are dropped so the column stays small.</summary>
    public static IReadOnlyList<SuspectVote> WithVote(IReadOnlyList<SuspectVote> votes, SiloAddress voter, DateTime time, TimeSpan expiration) =>
        [.. votes.Where(v => v.Voter != voter && IsFresh(v, time, expiration)), new SuspectVote(voter, time)];
}
