namespace Failover.Agents.DirectorClusters;

/// <summary>One agent cluster as <c>client agents</c> shows it (JOC Cockpit's Resources → Agents).</summary>
[GenerateSerializer]
[Alias("Failover.DirectorClusterView")]
public sealed record DirectorClusterView(
    string Id,
    string State,
    string Active,
    string ActiveNode,
    string Standby,
    long Epoch,
    bool Coupled,
    bool SwitchPending,
    IReadOnlyList<DirectorInstanceView> Instances);

/// <summary>A director instance: its node, its role, and how long ago the witness last heard it (null: never).</summary>
[GenerateSerializer]
[Alias("Failover.DirectorInstanceView")]
public sealed record DirectorInstanceView(string Instance, string Node, string Role, long? LastHeartbeatAgeMs, string? Incarnation);
