using Orleans.Runtime;

namespace Failover.Storage.Directory;

/// <summary>The SQL grain directory of one cluster (DeploymentId): strong single activation, with an epoch per claim.</summary>
public interface IGrainDirectoryTable
{
    Task<DirectoryEntry?> LookupAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>
    /// One SQL statement: the claim succeeds only when the row is absent, has no owner, is owned by the claimant's
    /// silo itself (a silo holds at most one activation of a grain, so that one is gone), is owned by exactly
    /// <paramref name="replacing"/> (an activation its silo reported missing), or its owner's membership row is Dead
    /// (or gone); it then names <paramref name="claimant"/> the owner and bumps the epoch.
    /// Returns the row as it stands afterwards: the caller won when it names the claimant's silo and activation.
    /// </summary>
    Task<DirectoryEntry> TryClaimAsync(GrainAddress claimant, GrainAddress? replacing, CancellationToken cancellationToken);

    /// <summary>Clears the owner if it is still <paramref name="owner"/> (silo and activation); the epoch is kept.</summary>
    Task<bool> ReleaseAsync(GrainAddress owner, CancellationToken cancellationToken);

    /// <summary>Clears every entry owned by <paramref name="silo"/>. Returns how many.</summary>
    Task<int> ReleaseAllAsync(SiloAddress silo, CancellationToken cancellationToken);
}
