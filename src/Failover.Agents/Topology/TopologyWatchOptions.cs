namespace Failover.Agents.Topology;

/// <summary>How the silo follows the topology (configured from <c>Agents:TopologyRefresh</c>).</summary>
public sealed class TopologyWatchOptions
{
    /// <summary>How often the silo asks for a newer topology; changed settings take effect within this time.</summary>
    public TimeSpan Refresh { get; set; } = TimeSpan.FromSeconds(1);
}
