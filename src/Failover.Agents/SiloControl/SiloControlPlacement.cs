using Failover.Hosting.Placement;
using Orleans.Runtime;

namespace Failover.Agents.SiloControl;

/// <summary>Places a node's control grain on that node's Active silo (its newest incarnation).</summary>
internal sealed class SiloControlPlacement : INodePlacementRule
{
    public const string GrainType = "silo-control";

    public bool Covers(GrainId grain) => grain.Type.ToString() == GrainType;

    public ValueTask<SiloAddress?> ChooseAsync(GrainId grain, IReadOnlyList<ClusterMember> candidates, SiloAddress local, CancellationToken cancellationToken) =>
        ValueTask.FromResult(candidates.Where(s => s.Name == grain.Key.ToString()).OrderByDescending(s => s.SiloAddress.Generation).FirstOrDefault()?.SiloAddress);
}
