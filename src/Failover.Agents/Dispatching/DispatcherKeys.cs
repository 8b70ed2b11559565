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

    public static string AgentWide(string agentId) => $"agent:{agentId}";

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

    /// <summary>The candidate set a dispatcher chooses from.</summary>
    public static CandidateSet SetOf(TopologyDocument topology, string key)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith("agent:", StringComparison.Ordinal))
        {
            return CandidateSet.ForAgent(key["agent:".Length..], topology.Subagents);
        }

        return topology.FindSubagentCluster(key) is { } cluster ? CandidateSet.ForCluster(cluster) : new(key, $"cluster {key}", []);
    }

    /// <summary>The agent a dispatcher works for, or null when the topology does not know the key.</summary>
    public static string? AgentOf(TopologyDocument topology, string key)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith("agent:", StringComparison.Ordinal) ? key["agent:".Length..] : topology.FindSubagentCluster(key)?.Agent;
    }

    private static IReadOnlyList<SubagentCandidate> CandidatesOf(TopologyDocument topology, string key) => SetOf(topology, key).Candidates;
}
