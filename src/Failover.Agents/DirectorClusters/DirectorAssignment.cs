namespace Failover.Agents.DirectorClusters;

/// <summary>
/// The witness's answer to a heartbeat: the role the instance may take, the cluster's fencing epoch, and how long
/// after sending its heartbeat the instance may act on an Active answer (the witness's heartbeat timeout then).
/// </summary>
[GenerateSerializer]
[Alias("Failover.DirectorAssignment")]
public sealed record DirectorAssignment(DirectorRole Role, long Epoch, DirectorClusterState State, TimeSpan Lease);
