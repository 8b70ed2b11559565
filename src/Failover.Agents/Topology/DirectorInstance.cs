namespace Failover.Agents.Topology;

/// <summary>The two director instances of an agent cluster (JS7's primary and secondary director).</summary>
public enum DirectorInstance
{
    Primary,
    Secondary,
}
