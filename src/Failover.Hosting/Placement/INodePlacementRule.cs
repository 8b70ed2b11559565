using Orleans.Runtime;

namespace Failover.Hosting.Placement;

/// <summary>
/// Decides which node a grain of <see cref="NodeRulePlacementAttribute"/> lives on, from the node names (Orleans' silo
/// names) of the Active silos. Registered with <c>services.AddSingleton&lt;INodePlacementRule, …&gt;()</c>.
/// </summary>
public interface INodePlacementRule
{
    /// <summary>Whether this rule decides for <paramref name="grain"/>.</summary>
    bool Covers(GrainId grain);

    /// <summary>
    /// The silo for a new activation of <paramref name="grain"/>, chosen from <paramref name="candidates"/> (the Active
    /// silos able to host it, ordered by address, never empty); null keeps it on <paramref name="local"/> when that is a
    /// candidate, else on one picked by the grain's hash. A rule may read what it needs first (it holds up only this
    /// activation), but must end by <paramref name="cancellationToken"/>.
    /// </summary>
    ValueTask<SiloAddress?> ChooseAsync(GrainId grain, IReadOnlyList<ClusterMember> candidates, SiloAddress local, CancellationToken cancellationToken);
}
