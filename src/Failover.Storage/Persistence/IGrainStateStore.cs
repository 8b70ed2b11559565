using Orleans.Runtime;

namespace Failover.Storage.Persistence;

/// <summary>Versioned, fenced grain state for one ServiceId.</summary>
public interface IGrainStateStore
{
    Task<StoredGrainState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the payload if the stored version equals <paramref name="expectedVersion"/> (0 = no record yet)
    /// and the directory row of the grain still shows the fence's epoch. Returns the new version.
    /// Throws <see cref="InconsistentStateException"/> on a version conflict and
    /// <see cref="ActivationFencedException"/> when the fence no longer holds.
    /// </summary>
    Task<long> WriteAsync(GrainId grainId, string stateName, string payload, long expectedVersion, ActivationFence fence, CancellationToken cancellationToken);

    /// <summary>Deletes the record under the same version and fence rules as <see cref="WriteAsync"/>.</summary>
    Task ClearAsync(GrainId grainId, string stateName, long expectedVersion, ActivationFence fence, CancellationToken cancellationToken);
}
