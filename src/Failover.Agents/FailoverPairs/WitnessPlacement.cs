using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;
using Failover.Runtime.Placement;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Places the witness of a pair this silo belongs to off the pair's two nodes (this one and the one at
/// <c>remote_vip</c>) when another Active silo exists, so that killing a node does not also reset the witness.
/// </summary>
internal sealed class WitnessPlacement(IReadOnlyList<FailoverAgentConfig> configs, LocalSilo silo) : IGrainPlacement
{
    // Silos name the grain by its class, clients by its interface.
    private static readonly string[] s_witnessTypes = [nameof(FailoverPairWitnessGrain), $"@{typeof(IFailoverPairWitnessGrain).FullName}"];

    public bool Covers(GrainId grain) =>
        s_witnessTypes.Contains(grain.Type, StringComparer.Ordinal) && configs.Any(c => c.AgentVipIdentity == grain.Key);

    public SiloAddress? Choose(GrainId grain, IReadOnlyList<MembershipEntry> activeSilos, SiloAddress self)
    {
        ArgumentNullException.ThrowIfNull(activeSilos);
        var config = configs.First(c => c.AgentVipIdentity == grain.Key);
        var candidates = activeSilos
            .Where(s => s.SiloName != silo.NodeName && s.Address != self && !IsPeer(s.Address, config))
            .OrderBy(s => s.Address.ToString(), StringComparer.Ordinal)
            .ToList();
        return candidates.Count == 0 ? null : candidates[(int)(grain.GetUniformHashCode() % (uint)candidates.Count)].Address;
    }

    private static bool IsPeer(SiloAddress address, FailoverAgentConfig config) =>
        address.Port == config.RemotePort
        && (string.Equals(address.Host, config.RemoteHost, StringComparison.OrdinalIgnoreCase) || IsLoopback(address.Host) == IsLoopback(config.RemoteHost) && IsLoopback(address.Host));

    private static bool IsLoopback(string host) => host is "127.0.0.1" or "localhost" or "::1";
}
