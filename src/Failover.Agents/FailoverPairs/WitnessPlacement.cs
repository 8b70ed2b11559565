using Failover.Hosting.Placement;
using Orleans.Runtime;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Keeps the witness of a pair this silo belongs to off the pair's two nodes (this one, and the peer's once a heartbeat
/// of it was heard) when another Active silo exists, so that killing a node does not also reset the witness.
/// </summary>
internal sealed class WitnessPlacement(string localNode, Func<string, PairNodes?> pairOf) : AvoidNodesRule
{
    public override bool Covers(GrainId grain) =>
        grain.Type.ToString() == FailoverPairWitnessGrain.GrainType && pairOf(grain.Key.ToString()!) is not null;

    protected override ValueTask<IReadOnlyCollection<string>> NodesToAvoidAsync(GrainId grain, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyCollection<string>>(pairOf(grain.Key.ToString()!)?.PeerNode is { } peer ? [localNode, peer] : [localNode]);
}

/// <summary>A pair this silo takes part in, as far as it knows it: the peer's node name once heard.</summary>
internal sealed record PairNodes(string Identity, string? PeerNode);
