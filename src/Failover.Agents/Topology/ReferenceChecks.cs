namespace Failover.Agents.Topology;

/// <summary>
/// The checks that need the whole document: duplicate ids and references to other entities, which must exist and
/// belong to the same agent cluster. Empty ids and references were already reported and are skipped.
/// </summary>
internal static class ReferenceChecks
{
    public static void Run(ParsedTopology t, TopologyErrors errors)
    {
        var agents = Index(t.AgentClusters, "agentClusters", c => c.Id, errors);
        var subagents = Index(t.Subagents, "subagents", s => s.Id, errors);
        var subagentClusters = Index(t.SubagentClusters, "subagentClusters", c => c.Id, errors);
        var jobs = Index(t.Jobs, "jobs", j => j.Id, errors);
        _ = Index(t.FileWatches, "fileWatches", w => w.Id, errors);

        foreach (var (i, s) in t.Subagents)
        {
            Agent(Path("subagents", i, "agent"), s.Agent, agents, errors);
        }

        foreach (var (i, c) in t.SubagentClusters)
        {
            Agent(Path("subagentClusters", i, "agent"), c.Agent, agents, errors);
            foreach (var subagentId in c.Subagents.Keys)
            {
                var path = JsonPath.Key(Path("subagentClusters", i, "subagents"), subagentId);
                if (Target(path, "subagent", subagentId, subagents, errors) is { } subagent)
                {
                    SameAgent(path, "subagent", subagent.Id, subagent.Agent, c.Agent, agents, errors);
                }
            }
        }

        foreach (var (i, j) in t.Jobs)
        {
            Agent(Path("jobs", i, "agent"), j.Agent, agents, errors);
            var path = Path("jobs", i, "subagentCluster");
            if (j.SubagentCluster is { } clusterId && Target(path, "subagent cluster", clusterId, subagentClusters, errors) is { } cluster)
            {
                SameAgent(path, "subagent cluster", cluster.Id, cluster.Agent, j.Agent, agents, errors);
            }
        }

        foreach (var (i, w) in t.FileWatches)
        {
            Agent(Path("fileWatches", i, "agent"), w.Agent, agents, errors);
            var path = Path("fileWatches", i, "job");
            if (Target(path, "job", w.Job, jobs, errors) is { } job)
            {
                SameAgent(path, "job", job.Id, job.Agent, w.Agent, agents, errors);
            }
        }
    }

    /// <summary>Entities by id (the first of duplicates); each later duplicate is reported.</summary>
    private static Dictionary<string, T> Index<T>(
        IReadOnlyList<(int Index, T Spec)> items, string list, Func<T, string> id, TopologyErrors errors)
    {
        var byId = new Dictionary<string, T>(StringComparer.Ordinal);
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (i, spec) in items)
        {
            var key = id(spec);
            if (key.Length == 0)
            {
                continue;
            }

            if (firstIndex.TryGetValue(key, out var first))
            {
                errors.Add(Path(list, i, "id"), $"duplicate id {Quoting.Quote(key)} (also {list}[{first}])");
                continue;
            }

            firstIndex[key] = i;
            byId[key] = spec;
        }

        return byId;
    }

    private static void Agent(string path, string agentId, Dictionary<string, AgentClusterSpec> agents, TopologyErrors errors) =>
        Target(path, "agent cluster", agentId, agents, errors);

    private static T? Target<T>(string path, string kind, string id, Dictionary<string, T> byId, TopologyErrors errors)
        where T : class
    {
        if (id.Length == 0)
        {
            return null;
        }

        if (byId.TryGetValue(id, out var target))
        {
            return target;
        }

        errors.Add(path, $"there is no {kind} {Quoting.Quote(id)}");
        return null;
    }

    // Only when both agent clusters exist: a dangling one is reported on its own.
    private static void SameAgent(
        string path, string kind, string targetId, string targetAgent, string ownAgent, Dictionary<string, AgentClusterSpec> agents, TopologyErrors errors)
    {
        if (targetAgent != ownAgent && agents.ContainsKey(targetAgent) && agents.ContainsKey(ownAgent))
        {
            errors.Add(path, $"{kind} {Quoting.Quote(targetId)} belongs to agent cluster {Quoting.Quote(targetAgent)}, not {Quoting.Quote(ownAgent)}");
        }
    }

    private static string Path(string list, int index, string key) => JsonPath.Key(JsonPath.Index(list, index), key);
}
