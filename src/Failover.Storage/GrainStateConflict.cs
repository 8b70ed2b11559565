using System.Globalization;
using Orleans.Storage;
using Failover.Storage.Directory;
using Failover.Storage.Persistence;
using Orleans.Runtime;

namespace Failover.Storage;

/// <summary>
/// Decides why a fenced, versioned state write changed nothing, from one diagnostic read of the directory row and
/// the stored version. A lost fence wins over a version conflict: the activation must stop, not retry.
/// </summary>
internal static class GrainStateConflict
{
    public static void Validate(GrainId grainId, long expectedVersion, ActivationFence fence)
    {
        if (fence.GrainId != grainId)
        {
            throw new ArgumentException($"The fence is for grain {fence.GrainId}, not {grainId}.", nameof(fence));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
    }

    public static Exception Explain(
        GrainId grainId, string stateName, long expectedVersion, ActivationFence fence, DirectoryEntry? directory, long storedVersion)
    {
        if (directory is null || directory.Owner is null || directory.Epoch != fence.Epoch)
        {
            var shows = directory is null
                ? "no entry"
                : $"epoch {directory.Epoch} owned by {directory.Owner?.ToString() ?? "nobody"}";
            return new ActivationFencedException(
                $"Write of state '{stateName}' of grain {grainId} was fenced: it carried epoch {fence.Epoch} but the directory shows {shows}.");
        }

        if (storedVersion == expectedVersion)
        {
            // Epoch and version both match: the fence failed on the owner itself, whose silo is declared Dead.
            return new ActivationFencedException(
                $"Write of state '{stateName}' of grain {grainId} was fenced: its silo {directory.Owner} is declared Dead.");
        }

        return new InconsistentStateException(
            $"Version conflict on state '{stateName}' of grain {grainId}: the activation expected version {expectedVersion} but the store has {storedVersion}.",
            storedVersion.ToString(CultureInfo.InvariantCulture),
            expectedVersion.ToString(CultureInfo.InvariantCulture));
    }
}
