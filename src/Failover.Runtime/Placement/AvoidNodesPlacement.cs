using Failover.Runtime.Grains;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Placement;

/// <summary>
/// Places a grain that judges some nodes (a witness) on a silo of another node when one is Active: the calling silo
/// if it qualifies, else one picked by the grain's hash so that all callers agree. Falls back to the caller when every
/// Active silo is on a node to avoid.
/// </summary>
public abstract class AvoidNodesPlacement : IGrainPlacement
{
    public abstract bool Covers(GrainId grain);

    /// <summary>The node names (silo names) the grain should not live on.</summary>
    protected abstract IReadOnlyCollection<string> NodesToAvoid(GrainId grain);

    public SiloAddress? Choose(GrainId grain, IReadOnlyList<MembershipEntry> activeSilos, SiloAddress self)
    {
        ArgumentNullException.ThrowIfNull(activeSilos);
        var avoid = NodesToAvoid(grain);
        if (avoid.Count == 0)
        {
            return null;
        }

        var candidates = activeSilos
            .Where(s => !avoid.Contains(s.SiloName))
            .OrderBy(s => s.Address.ToString(), StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0 || candidates.Any(s => s.Address == self))
        {
            return null;
        }

        return candidates[(int)(grain.GetUniformHashCode() % (uint)candidates.Count)].Address;
    }
}
