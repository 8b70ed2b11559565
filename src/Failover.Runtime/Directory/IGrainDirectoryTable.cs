using Failover.Runtime.Membership;
using Orleans.Runtime;

namespace Failover.Runtime.Directory;

/// <summary>The SQL grain directory of one cluster (DeploymentId): strong single activation.</summary>
public interface IGrainDirectoryTable
{
    Task<DirectoryEntry?> LookupAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>
    /// One SQL statement: the claim succeeds only when the row is absent, has no owner, is owned by the claimant
    /// itself (a release that failed), or its owner's membership row is Dead (or gone); it then sets the owner to
    /// <paramref name="claimant"/> and bumps the epoch.
    /// Returns the row as it stands afterwards: the caller won when <c>Owner == claimant</c>.
    /// </summary>
    Task<DirectoryEntry> TryClaimAsync(GrainId grainId, SiloAddress claimant, CancellationToken cancellationToken);

    /// <summary>Clears the owner if it is still <paramref name="owner"/> at <paramref name="epoch"/>; the epoch is kept.</summary>
    Task<bool> ReleaseAsync(GrainId grainId, SiloAddress owner, long epoch, CancellationToken cancellationToken);

    /// <summary>Clears every entry owned by <paramref name="owner"/> (graceful shutdown). Returns how many.</summary>
    Task<int> ReleaseAllAsync(SiloAddress owner, CancellationToken cancellationToken);
}
