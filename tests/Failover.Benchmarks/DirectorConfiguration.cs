namespace Failover.Benchmarks;

/// <summary>
/// The director fail-over benchmark's settings: the agent cluster's heartbeat and heartbeat timeout (in the topology)
/// and the silos' membership settings (those of the kill -9 grain fail-over benchmark).
/// </summary>
internal sealed record DirectorConfiguration(string Name, string Heartbeat, string HeartbeatTimeout, FailoverConfiguration Membership, double? P99TargetMs)
{
    public const string AgentCluster = "agent-1";

    /// <summary>The topology's defaults (250ms, 1s) and the silo's membership defaults: the issue's target applies.</summary>
    public static readonly DirectorConfiguration Defaults = new("defaults", "250ms", "1s", FailoverConfiguration.Defaults, 1_500);

    public static IReadOnlyList<DirectorConfiguration> All { get; } = [Defaults];

    /// <summary>Primary on node-a, secondary on node-b; node-c is neither, so the witness lives there.</summary>
    public string TopologyJson =>
        $$"""
        {"agentClusters":[{"id":"{{AgentCluster}}","directors":{"primary":"node-a","secondary":"node-b"},"heartbeat":"{{Heartbeat}}","heartbeatTimeout":"{{HeartbeatTimeout}}"}]}
        """;

    public override string ToString() =>
        $"{Name} (heartbeat {Heartbeat}, heartbeat timeout {HeartbeatTimeout}, membership {(Membership.SiloSettings.Count == 0 ? "defaults" : string.Join(", ", Membership.SiloSettings))})";
}
