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
    protected abstract IReadOnlyCollection<string> NodesToAvoid(GrainId grain);

    public SiloAddress? Choose(GrainId grain, IReadOnlyList<ClusterMember> candidates, SiloAddress local)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var avoid = NodesToAvoid(grain);
        var allowed = candidates.Where(member => !avoid.Contains(member.Name)).ToList();
        if (allowed.Count == 0)
        {
            return null;
        }

        return allowed[(int)(grain.GetUniformHashCode() % (uint)allowed.Count)].SiloAddress;
    }
}
