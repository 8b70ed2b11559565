namespace Failover.Runtime.Membership;

/// <summary>
/// Orleans' membership table protocol for one cluster (DeploymentId). Inserts and status changes are
/// compare-and-swap on the version row: they succeed only when the table version still equals
/// <c>expectedVersion</c>, and then bump it by one. IAmAlive renewals are plain writes that do not bump it.
/// </summary>
public interface IMembershipTable
{
    /// <summary>Creates the version row for this cluster when missing (version 0). Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a new row. False when the version moved on or the row already exists: re-read and retry.</summary>
    Task<bool> InsertRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>Replaces status, suspect times and proxy port of an existing row. False when the version moved on or the row is missing.</summary>
    Task<bool> UpdateRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Sets IAmAliveTime to the database clock. Does not bump the version. Returns the database time written.
    /// A Dead row is not renewed (a silo declared Dead must never regain a lease): <see cref="SiloDeclaredDeadException"/>.
    /// </summary>
    Task<DateTime> UpdateIAmAliveAsync(SiloAddress address, CancellationToken cancellationToken);

    /// <summary>Deletes rows that are not Active and whose IAmAliveTime is older than <paramref name="olderThan"/> (database clock). Never Active rows.</summary>
    Task<int> CleanupDefunctEntriesAsync(DateTime olderThan, CancellationToken cancellationToken);

    /// <summary>Removes every row and the version row of this cluster (tests and operators' reset).</summary>
    Task DeleteClusterAsync(CancellationToken cancellationToken);
}
