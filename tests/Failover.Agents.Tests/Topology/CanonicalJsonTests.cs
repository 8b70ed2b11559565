using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Topology;

public sealed class CanonicalJsonTests
{
    /// <summary>The completed DESIGN example, reordered, reformatted, with defaults spelled out and durations respelled.</summary>
    private const string FullReordered = """
        {"fileWatches":[{"job":"hello","delay":"1000ms","rescan":"10s","pattern":"*.csv","directory":"/srv/inbox","agent":"agent-1","id":"inbox"}],
        "jobs":[{"builtin":"noop","subagentCluster":"workers","agent":"agent-1","id":"nothing","args":[],"env":{}},
        {"restartable":false,"timeout":"0.5m","args":["hello"],"command":"/bin/echo","subagentCluster":"workers","agent":"agent-1","id":"hello"}],
        "subagentClusters":[{"subagents":{"sub-c":1,"sub-b":2},"agent":"agent-1","id":"workers"}],
        "subagents":[{"id":"sub-c","agent":"agent-1","node":"node-c","processLimit":8,"enabled":true},
        {"id":"sub-b","agent":"agent-1","node":"node-b","processLimit":2,"enabled":false},
        {"node":"node-a","id":"sub-a","agent":"agent-1"}],
        "agentClusters":[{"requireFailoverConfirmation":false,"id":"agent-1","heartbeatTimeout":"1.0s","directors":{"secondary":"node-b","primary":"node-a"}}]}
        """;

    [Fact]
    public void WritesAStableTextWithDefaultsSortedListsAndCanonicalDurations()
    {
        var doc = TopologyParser.Parse(TopologyExamples.J("""
            {
              'jobs': [ { 'id': 'b', 'agent': 'a1', 'command': 'run', 'env': { 'Z': '1', 'A': '2' }, 'timeout': '90000ms' },
                        { 'id': 'a', 'agent': 'a1', 'builtin': 'sleep', 'args': ['1s'] } ],
              'agentClusters': [ { 'id': 'a1', 'directors': { 'primary': 'n1', 'secondary': 'n2' }, 'heartbeatTimeout': '60s' } ]
            }
            """));

        Assert.Equal(
            TopologyExamples.J("""
            {
              'agentClusters': [
                {
                  'id': 'a1',
                  'directors': {
                    'primary': 'n1',
                    'secondary': 'n2'
                  },
                  'heartbeat': '250ms',
                  'heartbeatTimeout': '1m',
                  'requireFailoverConfirmation': false
                }
              ],
              'subagents': [],
              'subagentClusters': [],
              'jobs': [
                {
                  'id': 'a',
                  'agent': 'a1',
                  'builtin': 'sleep',
                  'args': [
                    '1s'
                  ],
                  'env': {},
                  'restartable': false
                },
                {
                  'id': 'b',
                  'agent': 'a1',
                  'command': 'run',
                  'args': [],
                  'env': {
                    'A': '2',
                    'Z': '1'
                  },
                  'timeout': '90s',
                  'restartable': false
                }
              ],
              'fileWatches': []
            }

            """).Replace("\r\n", "\n", StringComparison.Ordinal),
            doc.ToCanonicalJson());
    }

    [Theory]
    [InlineData(TopologyExamples.Full)]
    [InlineData("{}")]
    [InlineData("{'agentClusters': [{'id': 'a', 'directors': {'primary': 'p', 'secondary': 's'}, 'heartbeat': '1.5s', 'heartbeatTimeout': '2h', 'requireFailoverConfirmation': true}], 'jobs': [{'id': 'j', 'agent': 'a', 'command': 'it\\u0027s \\u0022quoted\\u0022 <&>', 'workingDirectory': '/w', 'processLimit': 3, 'restartable': true, 'env': {'é': 'ü\\n'}}]}")]
    public void ParsingTheCanonicalTextGivesTheSameDocument(string json)
    {
        var doc = TopologyParser.Parse(TopologyExamples.J(json));
        var again = TopologyParser.Parse(doc.ToCanonicalJson());

        Assert.Equal(doc, again);
        Assert.Equal(doc.ToCanonicalJson(), again.ToCanonicalJson());
        Assert.Equal(doc.ContentHash, again.ContentHash);
        Assert.Equal(doc.Jobs, again.Jobs);
        Assert.Equal(doc.SubagentClusters, again.SubagentClusters);
    }

    [Fact]
    public void AReorderedAndReformattedFileHasTheSameHash()
    {
        var doc = TopologyParser.Parse(TopologyExamples.Full);
        var reordered = TopologyParser.Parse(FullReordered);

        Assert.Equal(doc.ContentHash, reordered.ContentHash);
        Assert.Equal(doc, reordered);
        Assert.Equal(doc.GetHashCode(), reordered.GetHashCode());
        Assert.Empty(TopologyDiff.Describe(doc, reordered));
    }

    [Fact]
    public void AnyChangeChangesTheHash()
    {
        var doc = TopologyParser.Parse(TopologyExamples.Full);
        var changed = TopologyParser.Parse(TopologyExamples.Full.Replace("\"sub-b\": 2", "\"sub-b\": 3", StringComparison.Ordinal));

        Assert.NotEqual(doc.ContentHash, changed.ContentHash);
        Assert.NotEqual(doc, changed);
    }

    [Fact]
    public void TheHashIsLowerCaseSha256Hex()
    {
        Assert.Matches("^[0-9a-f]{64}$", TopologyDocument.Empty.ContentHash);
        Assert.Equal(TopologyDocument.Empty.ContentHash, TopologyParser.Parse("{}").ContentHash);
    }

    [Fact]
    public void SpecsWithCollectionsCompareByValue()
    {
        JobSpec Job() => new()
        {
            Id = "j",
            Agent = "a",
            Command = "run",
            Args = ["x", "y"],
            Env = new Dictionary<string, string> { ["K"] = "v" },
        };
        SubagentClusterSpec Cluster(int priority) => new() { Id = "c", Agent = "a", Subagents = new Dictionary<string, int> { ["s"] = priority } };

        Assert.Equal(Job(), Job());
        Assert.NotEqual(Job(), Job() with { Args = ["y", "x"] });
        Assert.NotEqual(Job(), Job() with { Env = new Dictionary<string, string> { ["K"] = "w" } });
        Assert.Equal(Cluster(1), Cluster(1));
        Assert.NotEqual(Cluster(1), Cluster(2));
    }

    [Fact]
    public void CollectionsCannotBeChangedThroughTheSpec()
    {
        var args = new List<string> { "x" };
        var job = new JobSpec { Id = "j", Agent = "a", Command = "run", Args = args };
        args.Add("y");

        Assert.Equal(["x"], job.Args);
        Assert.False(job.Args is List<string>);
    }
}
