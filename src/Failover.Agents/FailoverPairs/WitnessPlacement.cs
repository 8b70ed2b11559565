using Failover.Hosting;
using Failover.Hosting.Placement;
using Orleans.Runtime;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Keeps the witness of a pair this silo belongs to off the pair's two nodes (this one, and the peer's once a heartbeat
/// of it was heard) when another Active silo exists, so that killing a node does not also reset the witness.
/// </summary>
internal sealed class WitnessPlacement(FailoverPairAgents agents, LocalSilo silo) : AvoidNodesRule
{
    public override bool Covers(GrainId grain) =>
        grain.Type.ToString() == FailoverPairWitnessGrain.GrainType && agents.Find(grain.Key.ToString()!) is not null;

    protected override IReadOnlyCollection<string> NodesToAvoid(GrainId grain) =>
        agents.Find(grain.Key.ToString()!)?.PeerNode is { } peer ? [silo.NodeName, peer] : [silo.NodeName];
}
