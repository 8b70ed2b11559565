namespace Failover.Agents.Topology;

/// <summary>A subagent: runs an agent cluster's jobs as processes on one node.</summary>
public sealed record SubagentSpec
{
    public const int DefaultProcessLimit = 8;

    public required string Id { get; init; }

    /// <summary>Id of the agent cluster the subagent works for.</summary>
    public required string Agent { get; init; }

    /// <summary>Name of the node (silo) it runs on.</summary>
    public required string Node { get; init; }

    /// <summary>Most processes it runs at once; at least 1.</summary>
    public int ProcessLimit { get; init; } = DefaultProcessLimit;

    public bool Enabled { get; init; } = true;
}
