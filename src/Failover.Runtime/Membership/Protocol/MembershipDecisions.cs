using Failover.Runtime.Configuration;

namespace Failover.Runtime.Membership.Protocol;

/// <summary>
/// The failure detector's decisions for one round, as a pure function of the latest table read, this silo's
/// address and phase, and the probe history. No I/O, no clock: every time comes from the snapshot (database clock).
/// </summary>
public static class MembershipDecisions
{
    public static IReadOnlyList<MembershipCommand> Decide(
        MembershipSnapshot snapshot,
        SiloAddress localSilo,
        LocalMembershipPhase phase,
        IReadOnlyDictionary<SiloAddress, ProbeRecord> probes,
        MembershipOptions options,
        bool judgeLeases = true)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(options);

        if (phase != LocalMembershipPhase.Joined)
        {
            return [];
        }

        var self = snapshot.Find(localSilo);

        // Orleans: a silo that reads itself Dead kills itself; it cannot come back under the same generation.
        if (self is null)
        {
            return [new ExitSelf($"the row of {localSilo} is gone from the membership table (version {snapshot.Version})")];
        }

        if (self.Status == SiloStatus.Dead)
        {
            return [new ExitSelf($"{localSilo} is marked Dead in the membership table (version {snapshot.Version})")];
        }

        if (self.Status != SiloStatus.Active)
        {
            return [];
        }

        var activeSilos = snapshot.Entries.Count(e => e.Status == SiloStatus.Active);
        var votesNeeded = VotesNeeded(options.NumVotesForDeath, activeSilos);
        var commands = new List<MembershipCommand>();
        foreach (var peer in snapshot.Entries)
        {
            if (peer.Address == localSilo || !IsMonitored(peer.Status))
            {
                continue;
            }

            // judgeLeases is false until this silo's own lease has been valid for DeathTimeout: right after an outage
            // of the database nobody could renew, and the first silo back must not declare the others dead for it.
            var age = snapshot.DatabaseTime - peer.IAmAliveTime;
            if (judgeLeases && age > options.DeathTimeout)
            {
                commands.Add(new DeclareDead(
                    peer.Address,
                    DeathCause.LeaseExpired,
                    $"lease expired: IAmAliveTime is {Ms(age)} old on the database clock, {Ms(age - options.DeathTimeout)} past DeathTimeout {Ms(options.DeathTimeout)}"));
                continue;
            }

            if (!probes.TryGetValue(peer.Address, out var probe) || !probe.IsSuspect(options.NumMissedProbesLimit))
            {
                continue;
            }

            var others = SuspectVotes.FreshOtherVoters(peer, snapshot, localSilo, options.DeathVoteExpiration);
            var votes = others.Count + 1;
            if (votes >= votesNeeded)
            {
                var voters = string.Join(", ", others.Prepend(localSilo));
                commands.Add(new DeclareDead(
                    peer.Address,
                    DeathCause.SuspicionQuorum,
                    $"{probe.Describe()}; {votes} of {votesNeeded} votes needed ({voters})"));
            }
            else if (!SuspectVotes.HasFreshVote(peer, localSilo, snapshot.DatabaseTime, options.DeathVoteExpiration))
            {
                commands.Add(new AddSuspicion(peer.Address, votes, votesNeeded, probe.Describe()));
            }
        }

        return commands;
    }

    /// <summary>Orleans' quorum: NumVotesForDeath, but never more than half the Active silos (rounded up).</summary>
    public static int VotesNeeded(int numVotesForDeath, int activeSilos) =>
        Math.Max(1, Math.Min(numVotesForDeath, (activeSilos + 1) / 2));

    /// <summary>Rows that claim a live silo; Created rows have not started their lease yet.</summary>
    private static bool IsMonitored(SiloStatus status) =>
        status is SiloStatus.Joining or SiloStatus.Active or SiloStatus.ShuttingDown or SiloStatus.Stopping;

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:0} ms";
}
