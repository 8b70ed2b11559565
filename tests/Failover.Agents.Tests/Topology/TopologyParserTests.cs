using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Topology;

public sealed class TopologyParserTests
{
    [Fact]
    public void ReadsTheDesignExampleWithItsValuesAndDefaults()
    {
        var doc = TopologyParser.Parse(TopologyExamples.Full);

        var cluster = Assert.Single(doc.AgentClusters);
        Assert.Equal(
            new AgentClusterSpec
            {
                Id = "agent-1",
                PrimaryNode = "node-a",
                SecondaryNode = "node-b",
                Heartbeat = TimeSpan.FromMilliseconds(250),
                HeartbeatTimeout = TimeSpan.FromSeconds(1),
                RequireFailoverConfirmation = false,
            },
            cluster);

        Assert.Equal(["sub-a", "sub-b", "sub-c"], doc.Subagents.Select(s => s.Id));
        Assert.Equal(new SubagentSpec { Id = "sub-a", Agent = "agent-1", Node = "node-a", ProcessLimit = 8, Enabled = true }, doc.Subagents[0]);
        Assert.Equal(new SubagentSpec { Id = "sub-b", Agent = "agent-1", Node = "node-b", ProcessLimit = 2, Enabled = false }, doc.Subagents[1]);
        Assert.Equal(8, doc.Subagents[2].ProcessLimit);
        Assert.True(doc.Subagents[2].Enabled);

        var workers = Assert.Single(doc.SubagentClusters);
        Assert.Equal("agent-1", workers.Agent);
        Assert.Equal(new Dictionary<string, int> { ["sub-b"] = 2, ["sub-c"] = 1 }, workers.Subagents);

        var hello = doc.Jobs[0];
        Assert.Equal(("hello", "agent-1", "workers", "/bin/echo"), (hello.Id, hello.Agent, hello.SubagentCluster, hello.Command));
        Assert.Equal(["hello"], hello.Args);
        Assert.Empty(hello.Env);
        Assert.Equal(TimeSpan.FromSeconds(30), hello.Timeout);
        Assert.False(hello.Restartable);
        Assert.Null(hello.Builtin);
        Assert.Null(hello.ProcessLimit);
        Assert.Null(hello.WorkingDirectory);

        var nothing = doc.Jobs[1];
        Assert.Equal(BuiltinJobs.Noop, nothing.Builtin);
        Assert.Null(nothing.Command);
        Assert.Empty(nothing.Args);
        Assert.Null(nothing.Timeout);

        Assert.Equal(
            new FileWatchSpec
            {
                Id = "inbox",
                Agent = "agent-1",
                Directory = "/srv/inbox",
                Pattern = "*.csv",
                Job = "hello",
                Delay = TimeSpan.FromSeconds(1),
                Rescan = TimeSpan.FromSeconds(10),
            },
            Assert.Single(doc.FileWatches));
    }

    [Fact]
    public void TheDesignExampleAsWrittenNamesTwoSubagentsItNeverDefines()
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(TopologyExamples.Design));
        Assert.Equal(
            [
                "subagentClusters[0].subagents.sub-b: there is no subagent 'sub-b'",
                "subagentClusters[0].subagents.sub-c: there is no subagent 'sub-c'",
            ],
            error.Errors);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{ /* nothing yet */ }")]
    [InlineData("{'agentClusters': [], 'subagents': [], 'subagentClusters': [], 'jobs': [], 'fileWatches': []}")]
    [InlineData("{'agentClusters': null}")]
    public void EveryListIsOptional(string json) =>
        Assert.Equal(TopologyDocument.Empty, TopologyParser.Parse(TopologyExamples.J(json)));

    [Fact]
    public void FillsDefaultsAndTakesNullAsAbsent()
    {
        var doc = TopologyParser.Parse(TopologyExamples.J("""
            {
              'agentClusters': [ { 'id': 'a1', 'directors': { 'primary': 'n1', 'secondary': 'n2' }, 'heartbeat': null } ],
              'subagents': [ { 'id': 's1', 'agent': 'a1', 'node': 'n1', 'enabled': null } ],
              'subagentClusters': [ { 'id': 'c1', 'agent': 'a1', 'subagents': { 's1': -3 } } ],
              'jobs': [ { 'id': 'j1', 'agent': 'a1', 'command': 'run', 'timeout': null, 'builtin': null,
                          'env': { 'HOME': '/home/x' }, 'workingDirectory': '/tmp', 'processLimit': 2, 'restartable': true } ],
              'fileWatches': [ { 'id': 'w1', 'agent': 'a1', 'directory': 'C:\\in', 'job': 'j1' } ]
            }
            """));

        var cluster = doc.AgentClusters[0];
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), false), (cluster.Heartbeat, cluster.HeartbeatTimeout, cluster.RequireFailoverConfirmation));
        Assert.True(doc.Subagents[0].Enabled);
        Assert.Equal(-3, doc.SubagentClusters[0].Subagents["s1"]);
        var job = doc.Jobs[0];
        Assert.Equal((null, null, "/tmp", 2, true), (job.SubagentCluster, job.Timeout, job.WorkingDirectory, job.ProcessLimit, job.Restartable));
        Assert.Equal("/home/x", job.Env["HOME"]);
        var watch = doc.FileWatches[0];
        Assert.Equal(("*", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)), (watch.Pattern, watch.Delay, watch.Rescan));
    }

    [Fact]
    public void EveryBuiltinJobNameIsAccepted()
    {
        foreach (var name in BuiltinJobs.Names)
        {
            var doc = TopologyParser.Parse(TopologyExamples.J(
                $"{{'agentClusters': [{{'id': 'a', 'directors': {{'primary': 'n1', 'secondary': 'n2'}}}}], 'jobs': [{{'id': 'j', 'agent': 'a', 'builtin': '{name}'}}]}}"));
            Assert.Equal(name, doc.Jobs[0].Builtin);
        }
    }
}
