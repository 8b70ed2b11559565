namespace Failover.Agents.DirectorClusters;

/// <summary>The per agent cluster settings the witness judges by; changes apply to the running grain.</summary>
public sealed record DirectorClusterSettings(TimeSpan HeartbeatTimeout, bool RequireFailoverConfirmation)
{
    public static DirectorClusterSettings Default { get; } = new(TimeSpan.FromSeconds(1), false);
}
