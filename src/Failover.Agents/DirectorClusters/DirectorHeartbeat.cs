using Failover.Agents.Topology;

namespace Failover.Agents.DirectorClusters;

/// <summary>
/// What a director instance tells the witness: who it is, which incarnation (its silo's address, so a restart is a
/// new incarnation), the highest epoch it has been given, and whether it is acting as active right now.
/// </summary>
[GenerateSerializer]
[Alias("Failover.DirectorHeartbeat")]
public sealed record DirectorHeartbeat(DirectorInstance Instance, string Incarnation, long KnownEpoch, DirectorRole Acting);
