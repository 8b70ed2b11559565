using Orleans.Runtime;
namespace Failover.Storage.Membership;

/// <summary>
/// What one read of the membership table returned: the rows, the table version to use for the next
/// compare-and-swap, and the database clock at the time of the read (lease ages are measured on it).
/// </summary>
public sealed record MembershipRows(IReadOnlyList<MembershipRow> Entries, long Version, DateTime DatabaseTime)
{
    public MembershipRow? Find(SiloAddress address) => Entries.FirstOrDefault(e => e.Address == address);
}
