using Orleans;
using Orleans.Runtime;

namespace Failover.Agents.FailoverPairs;

/// <summary>The witness ("central") of one pair, keyed by <c>agent_vip_identity</c>. Both failover agents heartbeat it.</summary>
[Alias("Failover.IFailoverPairWitnessGrain")]
public interface IFailoverPairWitnessGrain : IGrainWithStringKey
{
    Task<WitnessVerdict> Heartbeat(WitnessReport report);

    Task<FailoverPairStatus> GetStatus();
}

/// <summary>The identities of all pairs ever started in the cluster (key <see cref="Key"/>), for <c>client failover-pairs</c>.</summary>
[Alias("Failover.IFailoverPairRegistryGrain")]
public interface IFailoverPairRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    Task Register(string identity);

    Task<IReadOnlyList<string>> List();
}

/// <summary>One pair as <c>client failover-pairs</c> shows it (DESIGN §6).</summary>
/// <param name="RunningOn">The node(s) whose last report, within timeout, says the managed agent runs there; null if none.</param>
[GenerateSerializer]
[Alias("Failover.FailoverPairStatus")]
public sealed record FailoverPairStatus(
    string Identity,
    string? Behavior,
    string? PrimaryNode,
    string? SecondaryNode,
    string? RunningOn,
    IReadOnlyList<FailoverPairView> Views);

/// <summary>One side's view, as it last reported it to the witness.</summary>
[GenerateSerializer]
[Alias("Failover.FailoverPairView")]
public sealed record FailoverPairView(
    string Node,
    string AgentId,
    bool PeerUp,
    bool CentralUp,
    string Decision,
    bool Running,
    long LastHeardAgeMs);
