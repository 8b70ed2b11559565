namespace Failover.Agents.FailoverPairs;

/// <summary>What a failover agent tells the witness on every heartbeat: who it is, what it sees, what it decided.</summary>
/// <param name="BootId">Changes with every start of the failover agent (its silo); sequences count within one boot.</param>
/// <param name="Running">The managed agent runs here, or may (is being started, stopped, or meant to run).</param>
[GenerateSerializer]
[Alias("Failover.WitnessReport")]
public sealed record WitnessReport(
    string Identity,
    PairRole AgentId,
    PairBehavior Behavior,
    string Node,
    string? PeerNode,
    string BootId,
    long Sequence,
    bool Running,
    bool PeerUp,
    bool CentralUp,
    PairDecision Decision,
    TimeSpan Timeout);
