namespace Failover.Agents.Topology;

/// <summary>A director agent cluster: two director instances on two nodes and how they heartbeat.</summary>
public sealed record AgentClusterSpec
{
    public static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan DefaultHeartbeatTimeout = TimeSpan.FromSeconds(1);

    public required string Id { get; init; }

    public required string PrimaryNode { get; init; }

    public required string SecondaryNode { get; init; }

    /// <summary>How often each director instance heartbeats the cluster's grain.</summary>
    public TimeSpan Heartbeat { get; init; } = DefaultHeartbeat;

    /// <summary>An instance silent for this long is lost; always greater than <see cref="Heartbeat"/>.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = DefaultHeartbeatTimeout;

    /// <summary>When set, a lost active instance is only failed over after a user confirms the loss.</summary>
    public bool RequireFailoverConfirmation { get; init; }

    public string NodeOf(DirectorInstance instance) => instance switch
    {
        DirectorInstance.Primary => PrimaryNode,
        DirectorInstance.Secondary => SecondaryNode,
        _ => throw new ArgumentOutOfRangeException(nameof(instance), instance, "Not a director instance."),
    };
}
