using Failover.Agents.Topology;

namespace Failover.Agents.Dispatching;

/// <summary>
/// The subagents a job may run on. <see cref="Key"/> names the set's round-robin cursors: the subagent cluster's id,
/// or <c>agent:&lt;agent id&gt;</c> for a job without a cluster (ids cannot contain <c>:</c>, so the two never clash).
/// <see cref="Description"/> is how reasons name it ("cluster workers", "agent agent-1").
/// </summary>
public sealed record CandidateSet(string Key, string Description, IReadOnlyList<SubagentCandidate> Candidates)
{
    public static CandidateSet ForCluster(SubagentClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new(cluster.Id, $"cluster {cluster.Id}", [.. cluster.Subagents.Select(s => new SubagentCandidate(s.Key, s.Value))]);
    }

    /// <summary>Every subagent of <paramref name="agentId"/>, all with priority 0: round-robin over all of them.</summary>
    public static CandidateSet ForAgent(string agentId, IEnumerable<SubagentSpec> subagents) =>
        new(DispatcherKeys.AgentWide(agentId), $"agent {agentId}", [.. subagents.Where(s => s.Agent == agentId).Select(s => new SubagentCandidate(s.Id, 0))]);

    /// <summary>The job's subagent cluster, or every subagent of its agent when it names none.</summary>
    public static CandidateSet ForJob(JobSpec job, TopologyDocument topology) => DispatcherKeys.SetOf(topology, DispatcherKeys.ForJob(job));
}
