namespace Failover.Runtime.Membership.Protocol;

internal sealed partial class MembershipProtocolLoop
{
    /// <summary>
    /// Writes the commands in order, each a CAS on the version the previous one produced (a successful write bumps it
    /// by exactly one). On a lost CAS it stops: the next round re-reads and decides again. True when anything was written.
    /// </summary>
    private async Task<bool> ApplyAsync(
        MembershipSnapshot snapshot, SiloAddress self, IReadOnlyList<MembershipCommand> commands, CancellationToken cancellationToken)
    {
        var version = snapshot.Version;
        var wrote = false;
        foreach (var command in commands)
        {
            // Probes may have taken a while: re-check the lease right before acting on them.
            if (!LeaseIsValid())
            {
                break;
            }

            var (silo, updated) = command switch
            {
                DeclareDead dead => (dead.Silo, DeadRow(snapshot, self, dead)),
                AddSuspicion suspicion => (suspicion.Silo, VotedRow(snapshot, self, suspicion.Silo)),
                _ => (null, null),
            };
            if (updated is null)
            {
                continue;
            }

            if (!await _table.UpdateRowAsync(updated, version, cancellationToken))
            {
                LogLostRace(silo!, version);
                break;
            }

            version++;
            wrote = true;
            switch (command)
            {
                case DeclareDead dead:
                    LogDeclaredDead(dead.Silo, updated.SiloName, dead.Cause, dead.Reason, version);
                    break;
                case AddSuspicion suspicion:
                    LogSuspected(suspicion.Silo, updated.SiloName, suspicion.Votes, suspicion.VotesNeeded, suspicion.Reason, version);
                    break;
            }
        }

        return wrote;
    }

    private MembershipEntry? DeadRow(MembershipSnapshot snapshot, SiloAddress self, DeclareDead command)
    {
        var row = snapshot.Find(command.Silo);
        if (row is null)
        {
            return null;
        }

        // Like Orleans, a death by suspicion carries the deciding vote, so the row shows who killed it and when.
        return command.Cause == DeathCause.SuspicionQuorum
            ? row with { Status = SiloStatus.Dead, SuspectTimes = SuspectVotes.WithVote(row.SuspectTimes, self, snapshot.DatabaseTime, _options.DeathVoteExpiration) }
            : row with { Status = SiloStatus.Dead };
    }

    private MembershipEntry? VotedRow(MembershipSnapshot snapshot, SiloAddress self, SiloAddress suspect) =>
        snapshot.Find(suspect) is { } row
            ? row with { SuspectTimes = SuspectVotes.WithVote(row.SuspectTimes, self, snapshot.DatabaseTime, _options.DeathVoteExpiration) }
            : null;
}
