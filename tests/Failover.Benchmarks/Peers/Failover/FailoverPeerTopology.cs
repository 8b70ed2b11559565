using System.Text.Json;

namespace Failover.Benchmarks.Peers.Failover;

/// <summary>
/// The product's side of the comparison: a director agent cluster on node-a and node-b, a subagent on each of the
/// three nodes, and two subagent clusters of equal priorities (round-robin) over them — one for the no-op and short
/// jobs, one for the long jobs, so that the long jobs a fail-over round leaves running never count as open no-op work.
/// </summary>
internal static class FailoverPeerTopology
{
    public const string Workers = "workers";
    public const string LongWorkers = "long-workers";
    public const string NodeVariable = "FAILOVER_BENCH_NODE";
    public const string RunsVariable = "FAILOVER_BENCH_RUNS";

    public static readonly string[] Nodes = ["node-a", "node-b", "node-c"];

    /// <summary>A job's first step: one line to the run log, written by bash itself (no extra process) with one write.</summary>
    private static readonly string s_recordStart =
        $"printf '%s\\t%s\\t%s\\n' \"$ORDER_ID\" \"${NodeVariable}\" \"${{EPOCHREALTIME//[.,]/}}\" >> \"${RunsVariable}/{RunLog.FilePrefix}${NodeVariable}.log\"";

    public static string JobOf(PeerJobKind kind) => kind switch
    {
        PeerJobKind.Noop => "noop",
        PeerJobKind.Short => "short",
        PeerJobKind.Long => "long",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string DispatcherOf(PeerJobKind kind) => kind == PeerJobKind.Long ? LongWorkers : Workers;

    public static string Json()
    {
        var subagents = Nodes.Select(node => new { id = Subagent(node), agent = "agent-1", node, processLimit = 256 }).ToArray();
        var members = Nodes.ToDictionary(Subagent, _ => 1);
        return JsonSerializer.Serialize(new
        {
            agentClusters = new[] { new { id = "agent-1", directors = new { primary = "node-a", secondary = "node-b" } } },
            subagents,
            subagentClusters = new[]
            {
                new { id = Workers, agent = "agent-1", subagents = members },
                new { id = LongWorkers, agent = "agent-1", subagents = members },
            },
            jobs = new object[]
            {
                new { id = "noop", agent = "agent-1", subagentCluster = Workers, builtin = "noop" },
                new
                {
                    id = "short", agent = "agent-1", subagentCluster = Workers, command = "/bin/bash",
                    args = new[] { "-c", $"{s_recordStart}; exec sleep {PeerJobDurations.Short.TotalSeconds:0.0##}" },
                },
                new
                {
                    id = "long", agent = "agent-1", subagentCluster = LongWorkers, command = "/bin/bash",
                    args = new[] { "-c", $"{s_recordStart}; exec sleep {PeerJobDurations.Long.TotalSeconds:0}" },
                    restartable = true,
                },
            },
        });
    }

    private static string Subagent(string node) => $"sub-{node[^1]}";
}
