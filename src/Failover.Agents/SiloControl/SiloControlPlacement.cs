using Failover.Runtime.Grains;
using Failover.Runtime.Membership;
using Failover.Runtime.Placement;

namespace Failover.Agents.SiloControl;

/// <summary>Places a node's control grain on that node's Active silo.</summary>
internal sealed class SiloControlPlacement : IGrainPlacement
{
    public const string GrainType = "silo-control";

    public bool Covers(GrainId grain) => grain.Type == GrainType;

    public SiloAddress? Choose(GrainId grain, IReadOnlyList<MembershipEntry> activeSilos, SiloAddress self) =>
        activeSilos.Where(s => s.SiloName == grain.Key).OrderByDescending(s => s.Address.Generation).FirstOrDefault()?.Address;
}
