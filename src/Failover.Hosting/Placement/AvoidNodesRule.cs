using Orleans.Runtime;

namespace Failover.Hosting.Placement;

/// <summary>
/// Keeps a grain that judges some nodes (a witness) off those nodes whenever another Active silo exists: the one of
/// them picked by the grain's hash, so every silo placing it picks the same. Falls back to the caller when every silo is
/// to be avoided.
/// </summary>
public abstract class AvoidNodesRule : INodePlacementRule
{
    public abstract bool Covers(GrainId grain);

    /// <summary>The node names the grain should not live on.</summary>
    protected abstract ValueTask<IReadOnlyCollection<string>> NodesToAvoidAsync(GrainId grain, CancellationToken cancellationToken);

    public async ValueTask<SiloAddress?> ChooseAsync(GrainId grain, IReadOnlyList<ClusterMember> candidates, SiloAddress local, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var avoid = await NodesToAvoidAsync(grain, cancellationToken);
        var allowed = candidates.Where(member => !avoid.Contains(member.Name)).ToList();
        if (allowed.Count == 0)
        {
            return null;
        }

        return allowed[(int)(grain.GetUniformHashCode() % (uint)allowed.Count)].SiloAddress;
    }
}
