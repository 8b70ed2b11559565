using Failover.Agents.Topology;

namespace Failover.Agents.Dispatching;

/// <summary>Which job dispatchers a topology has: one per subagent cluster, and one per agent that has jobs without a cluster.</summary>
public static class DispatcherKeys
{
    public static string ForJob(JobSpec job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.SubagentCluster ?? AgentWide(job.Agent);
    }

    /// <summary>Topology ids cannot contain <c>:</c>, so an agent-wide key never clashes with a subagent cluster's id.</summary>
    private const string AgentPrefix = "agent:";

    public static string AgentWide(string agentId) => AgentPrefix + agentId;

    /// <summary>The dispatchers that dispatch the jobs of <paramref name="agentId"/>.</summary>
    public static IReadOnlyList<string> OfAgent(TopologyDocument topology, string agentId)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return [.. topology.Jobs.Where(j => j.Agent == agentId).Select(ForJob)
            .Concat(topology.SubagentClusters.Where(c => c.Agent == agentId).Select(c => c.Id))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The dispatchers that may send work to <paramref name="subagent"/>.</summary>
    public static IReadOnlyList<string> OfSubagent(TopologyDocument topology, SubagentSpec subagent)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(subagent);
        return [.. OfAgent(topology, subagent.Agent).Where(key => CandidatesOf(topology, key).Any(c => c.Id == subagent.Id))];
    }

    /// <summary>
    /// The candidate set a dispatcher chooses from. Applied topologies have passed the reference checks; a cluster
    /// that is gone only shows as "has no subagents".
    /// </summary>
    public static CandidateSet SetOf(TopologyDocument topology, string key)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith(AgentPrefix, StringComparison.Ordinal))
        {
            return CandidateSet.ForAgent(key[AgentPrefix.Length..], topology.Subagents);
        }

        return topology.FindSubagentCluster(key) is { } cluster ? CandidateSet.ForCluster(cluster) : new(key, $"cluster {key}", []);
    }

    /// <summary>The agent a dispatcher works for, or null when the topology does not know the key.</summary>
    public static string? AgentOf(TopologyDocument topology, string key)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(AgentPrefix, StringComparison.Ordinal) ? key[AgentPrefix.Length..] : topology.FindSubagentCluster(key)?.Agent;
    }

    private static IReadOnlyList<SubagentCandidate> CandidatesOf(TopologyDocument topology, string key) => SetOf(topology, key).Candidates;
}
