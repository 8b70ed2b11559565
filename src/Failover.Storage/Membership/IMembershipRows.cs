using Orleans.Runtime;

namespace Failover.Storage.Membership;

/// <summary>
/// Orleans' membership table of one cluster (DeploymentId) as this product uses it besides Orleans' own provider:
/// read whole for operators, and a silo's node lease renewed on it.
/// </summary>
public interface IMembershipRows
{
    Task<MembershipRows> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sets the silo's IAmAliveTime to the database clock without bumping the table version, and returns the time
    /// written; null when the row is Dead or gone (a silo declared Dead never regains its lease).
    /// </summary>
    Task<DateTime?> RenewLeaseAsync(SiloAddress address, CancellationToken cancellationToken);

    /// <summary>Removes every row and the version row of this cluster (tests and operators' reset).</summary>
    Task DeleteClusterAsync(CancellationToken cancellationToken);
}
