using Failover.Agents.Topology;
using Failover.Hosting.Placement;
using Orleans.Runtime;

namespace Failover.Agents.DirectorClusters;

/// <summary>A director cluster's witness lives off its two director nodes whenever another silo is Active.</summary>
internal sealed class DirectorClusterPlacement(TopologyView topology) : AvoidNodesRule
{
    public const string GrainType = "director-cluster";

    public override bool Covers(GrainId grain) => grain.Type.ToString() == GrainType;

    protected override IReadOnlyCollection<string> NodesToAvoid(GrainId grain) =>
        topology.Current.FindAgentCluster(grain.Key.ToString()!) is { } spec ? [spec.PrimaryNode, spec.SecondaryNode] : [];
}
