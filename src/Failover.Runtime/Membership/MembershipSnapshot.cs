namespace Failover.Runtime.Membership;

/// <summary>
/// What one read of the membership table returned: the rows, the table version to use for the next
/// compare-and-swap, and the database clock at the time of the read (lease ages are measured on it).
/// </summary>
public sealed record MembershipSnapshot(IReadOnlyList<MembershipEntry> Entries, long Version, DateTime DatabaseTime)
{
    public MembershipEntry? Find(SiloAddress address) => Entries.FirstOrDefault(e => e.Address == address);
}
