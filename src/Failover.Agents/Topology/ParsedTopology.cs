namespace Failover.Agents.Topology;

/// <summary>The entities read from a file, each with its index in its list so that errors can name it.</summary>
internal sealed record ParsedTopology(
    IReadOnlyList<(int Index, AgentClusterSpec Spec)> AgentClusters,
    IReadOnlyList<(int Index, SubagentSpec Spec)> Subagents,
    IReadOnlyList<(int Index, SubagentClusterSpec Spec)> SubagentClusters,
    IReadOnlyList<(int Index, JobSpec Spec)> Jobs,
    IReadOnlyList<(int Index, FileWatchSpec Spec)> FileWatches)
{
    public TopologyDocument ToDocument() => new()
    {
        AgentClusters = [.. AgentClusters.Select(e => e.Spec)],
        Subagents = [.. Subagents.Select(e => e.Spec)],
        SubagentClusters = [.. SubagentClusters.Select(e => e.Spec)],
        Jobs = [.. Jobs.Select(e => e.Spec)],
        FileWatches = [.. FileWatches.Select(e => e.Spec)],
    };
}
