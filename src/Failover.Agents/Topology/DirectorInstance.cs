namespace Failover.Agents.Topology;

/// <summary>The two director instances of an agent cluster; named <c>primary</c> and <c>secondary</c> for people.</summary>
public enum DirectorInstance
{
    Primary,
    Secondary,
}
