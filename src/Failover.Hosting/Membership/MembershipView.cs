using Orleans.Runtime;

namespace Failover.Hosting.Membership;

/// <summary>This silo's view of the cluster's membership, as Orleans' membership service last read it.</summary>
public sealed class MembershipView(IClusterMembershipService membership)
{
    /// <summary>Whether the silo's row is Dead. A silo the snapshot does not know (not yet read, or cleaned up) is not.</summary>
    public bool IsDead(SiloAddress silo) => membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Dead;

    /// <summary>Whether the incarnation text names a silo whose row is Dead.</summary>
    public bool IsDead(string incarnation) => SiloIncarnation.TryParse(incarnation, out var silo) && IsDead(silo);

    /// <summary>The Active silos with their node names.</summary>
    public IReadOnlyList<ClusterMember> ActiveMembers =>
        [.. membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).OrderBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal)];
}
