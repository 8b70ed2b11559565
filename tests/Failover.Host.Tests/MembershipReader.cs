using Failover.Storage;
using Failover.Storage.Membership;
using Orleans.Runtime;

namespace Failover.Host.Tests;

/// <summary>Reads the membership table the way an operator's script would, straight from the database.</summary>
public static class MembershipReader
{
    public static async Task<IReadOnlyList<MembershipRow>> ReadAsync(string database, string clusterId = "default")
    {
        await using var db = ClusterDatabase.Open(DatabaseLocation.Parse(database));
        try
        {
            return (await db.CreateMembershipRows(clusterId).ReadAllAsync(CancellationToken.None)).Entries;
        }
        catch (Exception exception) when (exception is not DatabaseUnavailableException)
        {
            // The schema is not there yet: no silo has started.
            return [];
        }
    }

    public static async Task<MembershipRow?> FindAsync(string database, string node, SiloStatus status) =>
        (await ReadAsync(database)).FirstOrDefault(e => e.SiloName == node && e.Status == status);
}
