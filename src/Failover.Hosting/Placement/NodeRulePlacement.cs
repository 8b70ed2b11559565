using Orleans.Placement;
using Orleans.Runtime;

namespace Failover.Hosting.Placement;

/// <summary>Placement decided by the silo's <see cref="INodePlacementRule"/>s (a witness off the nodes it judges, a node's own grain on it).</summary>
[GenerateSerializer]
[Immutable]
[Alias("Failover.NodeRulePlacement")]
public sealed class NodeRulePlacement : PlacementStrategy
{
    internal static readonly NodeRulePlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodeRulePlacementAttribute : PlacementAttribute
{
    public NodeRulePlacementAttribute() : base(NodeRulePlacement.Instance)
    {
    }
}
