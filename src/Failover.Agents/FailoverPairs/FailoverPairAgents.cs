namespace Failover.Agents.FailoverPairs;

/// <summary>The failover agents this silo runs, by <c>agent_vip_identity</c>.</summary>
internal sealed class FailoverPairAgents(IEnumerable<FailoverPairAgent> agents)
{
    private readonly Dictionary<string, FailoverPairAgent> _byIdentity =
        agents.ToDictionary(a => a.Config.AgentVipIdentity, StringComparer.Ordinal);

    public FailoverPairAgent? Find(string identity) => _byIdentity.GetValueOrDefault(identity);

    public IReadOnlyCollection<FailoverPairAgent> All => _byIdentity.Values;
}
