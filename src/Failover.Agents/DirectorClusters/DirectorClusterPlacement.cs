using Failover.Agents.Topology;
using Failover.Runtime.Grains;
using Failover.Runtime.Placement;

namespace Failover.Agents.DirectorClusters;

/// <summary>A director cluster's witness lives off its two director nodes whenever another silo is Active.</summary>
internal sealed class DirectorClusterPlacement(TopologyView topology) : AvoidNodesPlacement
{
    public const string GrainType = "director-cluster";

    public override bool Covers(GrainId grain) => grain.Type == GrainType;

    protected override IReadOnlyCollection<string> NodesToAvoid(GrainId grain) =>
        topology.Current.FindAgentCluster(grain.Key) is { } spec ? [spec.PrimaryNode, spec.SecondaryNode] : [];
}
