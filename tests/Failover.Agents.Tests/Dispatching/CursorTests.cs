using System.Text.Json;
using Failover.Agents.Dispatching;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Dispatching;

public sealed class CursorTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Only_round_robin_groups_have_a_cursor()
    {
        var fixedPriority = new SelectorHarness("a:3 b:2");
        fixedPriority.Sequence(3);
        Assert.Empty(fixedPriority.Cursors.Entries);

        var mixed = new SelectorHarness("a:2 b:2 c:1");
        mixed.Sequence(3);
        Assert.Equal([new RoundRobinCursor("workers", 2, "a")], mixed.Cursors.Entries);
    }

    [Fact]
    public void Cursors_of_other_sets_are_kept_and_cursors_of_groups_gone_are_dropped()
    {
        var cursors = new RoundRobinCursors
        {
            Entries = [new("other", 1, "x"), new("workers", 7, "gone"), new("workers", 1, "a")],
        };
        var selector = new SelectorHarness("a:1 b:1") { Cursors = cursors };
        Assert.Equal("b", selector.Select().Subagent);
        Assert.Equal([new RoundRobinCursor("other", 1, "x"), new RoundRobinCursor("workers", 1, "b")], selector.Cursors.Entries);
    }

    [Fact]
    public void Cursors_survive_a_json_round_trip()
    {
        var selector = new SelectorHarness("a:1 b:1 c:1");
        selector.Sequence(2);
        var json = JsonSerializer.Serialize(selector.Cursors, Web);
        Assert.Equal("""{"entries":[{"set":"workers","priority":1,"lastChosen":"b"}]}""", json);

        var restored = new SelectorHarness("a:1 b:1 c:1") { Cursors = JsonSerializer.Deserialize<RoundRobinCursors>(json, Web)! };
        Assert.Equal(selector.Cursors, restored.Cursors);
        Assert.Equal("c a", restored.Sequence(2));
    }

    [Fact]
    public void A_job_without_a_cluster_uses_every_subagent_of_its_agent_round_robin()
    {
        var topology = new TopologyDocument
        {
            Subagents =
            [
                new SubagentSpec { Id = "s2", Agent = "agent-1", Node = "n" },
                new SubagentSpec { Id = "s1", Agent = "agent-1", Node = "n" },
                new SubagentSpec { Id = "x", Agent = "agent-2", Node = "n" },
            ],
            SubagentClusters = [new SubagentClusterSpec { Id = "workers", Agent = "agent-1", Subagents = new Dictionary<string, int> { ["s1"] = 2, ["s2"] = 1 } }],
        };
        var free = new JobSpec { Id = "free", Agent = "agent-1", Builtin = BuiltinJobs.Noop };
        var bound = free with { Id = "bound", SubagentCluster = "workers" };

        var all = CandidateSet.ForJob(free, topology);
        Assert.Equal("agent:agent-1", all.Key);
        Assert.Equal([new SubagentCandidate("s2", 0), new SubagentCandidate("s1", 0)], all.Candidates);

        var cluster = CandidateSet.ForJob(bound, topology);
        Assert.Equal("workers", cluster.Key);
        Assert.Equal([new SubagentCandidate("s1", 2), new SubagentCandidate("s2", 1)], cluster.Candidates);

        var available = new Dictionary<string, SubagentAvailability> { ["s1"] = SelectorHarness.Available, ["s2"] = SelectorHarness.Available };
        var cursors = RoundRobinCursors.Empty;
        var chosen = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var selection = SubagentSelector.Select(all, available, JobLoad.For(free, 0), cursors);
            chosen.Add(selection.Subagent!);
            cursors = selection.Cursors;
        }

        Assert.Equal(["s1", "s2", "s1", "s2"], chosen);
        Assert.Equal("no subagent of agent agent-2 is available: x not heartbeating",
            SubagentSelector.Select(CandidateSet.ForAgent("agent-2", topology.Subagents), available, JobLoad.For(free, 0), cursors).Reason);
    }
}
