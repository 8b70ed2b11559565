using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Topology;

/// <summary>Each row breaks one thing in an otherwise valid document and expects exactly one error line.</summary>
public sealed class TopologyErrorTests
{
    private const string Cluster = "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2'}}";
    private const string Cluster2 = "{'id': 'a2', 'directors': {'primary': 'n1', 'secondary': 'n2'}}";
    private const string Subagent = "{'id': 's1', 'agent': 'a1', 'node': 'n1'}";
    private const string Subagent2 = "{'id': 's2', 'agent': 'a2', 'node': 'n2'}";
    private const string SubagentCluster = "{'id': 'c1', 'agent': 'a1', 'subagents': {'s1': 1}}";
    private const string Job = "{'id': 'j1', 'agent': 'a1', 'subagentCluster': 'c1', 'command': '/bin/true'}";
    private const string FileWatch = "{'id': 'w1', 'agent': 'a1', 'directory': '/srv/in', 'job': 'j1'}";

    public static TheoryData<string, string> Cases => new()
    {
        // structure
        { "[]", "topology: expected an object, found an array" },
        { "{'agentCluster': []}", "agentCluster: unknown key (expected one of agentClusters, subagents, subagentClusters, jobs, fileWatches)" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2'}, 'hearbeat': '1s'}"),
            "agentClusters[0].hearbeat: unknown key (expected one of id, directors, heartbeat, heartbeatTimeout, requireFailoverConfirmation)" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2', 'tertiary': 'n3'}}"),
            "agentClusters[0].directors.tertiary: unknown key (expected one of primary, secondary)" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'arguments': []}"),
            "jobs[0].arguments: unknown key (expected one of id, agent, subagentCluster, command, args, env, workingDirectory, timeout, processLimit, restartable, builtin)" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2'}, 'heartbeat': '250ms', 'heartbeat': '100ms'}"),
            "agentClusters[0].heartbeat: key appears more than once" },
        { "{'jobs': {}}", "jobs: expected an array, found an object" },
        { "{'subagents': [5]}", "subagents[0]: expected an object, found a number" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2'}, 'requireFailoverConfirmation': 'yes'}"),
            "agentClusters[0].requireFailoverConfirmation: expected a boolean, found a string" },
        { Doc(clusters: "{'id': 'a1', 'directors': ['n1', 'n2']}"), "agentClusters[0].directors: expected an object, found an array" },
        { Doc(subagents: "{'id': 's1', 'agent': 'a1', 'node': 7}"), "subagents[0].node: expected a string, found a number" },
        { Doc(subagents: "{'id': 's1', 'agent': 'a1', 'node': 'n1', 'processLimit': '8'}"), "subagents[0].processLimit: expected a number, found a string" },
        { Doc(subagents: "{'id': 's1', 'agent': 'a1', 'node': 'n1', 'processLimit': 1.5}"), "subagents[0].processLimit: expected an integer, found 1.5" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'args': 'hello'}"), "jobs[0].args: expected an array, found a string" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'args': ['a', 2]}"), "jobs[0].args[1]: expected a string, found a number" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'env': {'A': 1}}"), "jobs[0].env.A: expected a string, found a number" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'timeout': 30}"), "jobs[0].timeout: expected a string, found a number" },

        // required keys and ids
        { Doc(subagents: $"{Subagent}, {{'agent': 'a1', 'node': 'n1'}}"), "subagents[1]: required key 'id' is missing" },
        { Doc(subagents: $"{Subagent}, {{'id': null, 'agent': 'a1', 'node': 'n1'}}"), "subagents[1]: required key 'id' is missing" },
        { Doc(subagents: $"{Subagent}, {{'id': '', 'agent': 'a1', 'node': 'n1'}}"), "subagents[1].id: must not be empty" },
        { Doc(subagents: $"{Subagent}, {{'id': 'a b', 'agent': 'a1', 'node': 'n1'}}"), "subagents[1].id: 'a b' is not a valid id (use 1-64 characters from A-Z a-z 0-9 . _ -)" },
        { Doc(subagents: $"{Subagent}, {{'id': '{new string('x', 65)}', 'agent': 'a1', 'node': 'n1'}}"),
            $"subagents[1].id: '{new string('x', 65)}' is not a valid id (use 1-64 characters from A-Z a-z 0-9 . _ -)" },
        { Doc(clusters: "{'id': 'a1'}"), "agentClusters[0]: required key 'directors' is missing" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1'}}"), "agentClusters[0].directors: required key 'secondary' is missing" },
        { Doc(subagents: "{'id': 's1', 'agent': 'a1'}"), "subagents[0]: required key 'node' is missing" },
        { Doc(subagents: "{'id': 's1', 'agent': 'a1', 'node': ' '}"), "subagents[0].node: must not be empty" },
        { Doc(subagents: "{'id': 's1', 'node': 'n1'}"), "subagents[0]: required key 'agent' is missing" },
        { Doc(watches: "{'id': 'w1', 'agent': 'a1', 'job': 'j1'}"), "fileWatches[0]: required key 'directory' is missing" },
        { Doc(subagentClusters: "{'id': 'c1', 'agent': 'a1'}"), "subagentClusters[0]: required key 'subagents' is missing" },

        // duplicates
        { Doc(clusters: $"{Cluster}, {Cluster}"), "agentClusters[1].id: duplicate id 'a1' (also agentClusters[0])" },
        { Doc(subagents: $"{Subagent}, {Subagent}"), "subagents[1].id: duplicate id 's1' (also subagents[0])" },
        { Doc(subagentClusters: $"{SubagentCluster}, {SubagentCluster}"), "subagentClusters[1].id: duplicate id 'c1' (also subagentClusters[0])" },
        { Doc(jobs: $"{Job}, {Job}"), "jobs[1].id: duplicate id 'j1' (also jobs[0])" },
        { Doc(watches: $"{FileWatch}, {FileWatch}"), "fileWatches[1].id: duplicate id 'w1' (also fileWatches[0])" },
        { Doc(subagentClusters: "{'id': 'c1', 'agent': 'a1', 'subagents': {'s1': 1, 's1': 2}}"), "subagentClusters[0].subagents.s1: key appears more than once" },

        // agent clusters
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n1'}}"),
            "agentClusters[0].directors: 'n1' is both primary and secondary; the directors need two nodes" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2'}, 'heartbeat': '25x'}"),
            "agentClusters[0].heartbeat: '25x' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2'}, 'heartbeat': '1s', 'heartbeatTimeout': '1s'}"),
            "agentClusters[0].heartbeatTimeout: 1s must be greater than heartbeat 1s" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2'}, 'heartbeat': '2s'}"),
            "agentClusters[0].heartbeatTimeout: 1s must be greater than heartbeat 2s" },
        { Doc(clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n2'}, 'heartbeat': '0s', 'heartbeatTimeout': '10ms'}"),
            "agentClusters[0].heartbeat: '0s' is not a positive duration (use e.g. 250ms, 1s, 2m)" },

        // references
        { Doc(subagents: "{'id': 's1', 'agent': 'a9', 'node': 'n1'}"), "subagents[0].agent: there is no agent cluster 'a9'" },
        { Doc(subagentClusters: "{'id': 'c1', 'agent': 'a9', 'subagents': {'s1': 1}}"), "subagentClusters[0].agent: there is no agent cluster 'a9'" },
        { Doc(subagentClusters: "{'id': 'c1', 'agent': 'a1', 'subagents': {'s1': 1, 's9': 2}}"), "subagentClusters[0].subagents.s9: there is no subagent 's9'" },
        { Doc(clusters: $"{Cluster}, {Cluster2}", subagents: $"{Subagent}, {Subagent2}", subagentClusters: "{'id': 'c1', 'agent': 'a1', 'subagents': {'s1': 1, 's2': 1}}"),
            "subagentClusters[0].subagents.s2: subagent 's2' belongs to agent cluster 'a2', not 'a1'" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a9', 'command': '/bin/true'}"), "jobs[0].agent: there is no agent cluster 'a9'" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'subagentCluster': 'c9', 'command': '/bin/true'}"), "jobs[0].subagentCluster: there is no subagent cluster 'c9'" },
        { Doc(clusters: $"{Cluster}, {Cluster2}", jobs: $"{Job}, {{'id': 'j2', 'agent': 'a2', 'subagentCluster': 'c1', 'builtin': 'noop'}}"),
            "jobs[1].subagentCluster: subagent cluster 'c1' belongs to agent cluster 'a1', not 'a2'" },
        { Doc(watches: "{'id': 'w1', 'agent': 'a9', 'directory': '/srv/in', 'job': 'j1'}"), "fileWatches[0].agent: there is no agent cluster 'a9'" },
        { Doc(watches: "{'id': 'w1', 'agent': 'a1', 'directory': '/srv/in', 'job': 'j9'}"), "fileWatches[0].job: there is no job 'j9'" },
        { Doc(clusters: $"{Cluster}, {Cluster2}", jobs: $"{Job}, {{'id': 'j2', 'agent': 'a2', 'builtin': 'noop'}}", watches: "{'id': 'w1', 'agent': 'a1', 'directory': '/srv/in', 'job': 'j2'}"),
            "fileWatches[0].job: job 'j2' belongs to agent cluster 'a2', not 'a1'" },

        // subagents and subagent clusters
        { Doc(subagents: "{'id': 's1', 'agent': 'a1', 'node': 'n1', 'processLimit': 0}"), "subagents[0].processLimit: must be between 1 and 10000, found 0" },
        { Doc(subagentClusters: "{'id': 'c1', 'agent': 'a1', 'subagents': {}}"), "subagentClusters[0].subagents: names no subagent; give at least one as \"id\": priority" },
        { Doc(subagentClusters: "{'id': 'c1', 'agent': 'a1', 'subagents': {'s1': 1.5}}"), "subagentClusters[0].subagents.s1: expected an integer, found 1.5" },
        { Doc(subagentClusters: "{'id': 'c1', 'agent': 'a1', 'subagents': {'s1': 'high'}}"), "subagentClusters[0].subagents.s1: expected a number, found a string" },

        // jobs
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'builtin': 'nop'}"), "jobs[0].builtin: 'nop' is not a builtin job (known: fail, noop, sleep)" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'builtin': 'noop'}"), "jobs[0]: give either 'command' or 'builtin', not both" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1'}"), "jobs[0]: required key 'command' or 'builtin' is missing" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': ''}"), "jobs[0].command: must not be empty" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'processLimit': 0}"), "jobs[0].processLimit: must be between 1 and 10000, found 0" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'timeout': '1d'}"), "jobs[0].timeout: '1d' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { Doc(jobs: "{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'env': {'A=B': 'x'}}"), "jobs[0].env[\"A=B\"]: is not a valid environment variable name (non-empty, without '=')" },
        { Doc(jobs: $"{{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'args': [{string.Join(", ", Enumerable.Repeat("'x'", 65))}]}}"), "jobs[0].args: has 65 items, at most 64 allowed" },
        { Doc(jobs: $"{{'id': 'j1', 'agent': 'a1', 'command': '/bin/true', 'env': {{{string.Join(", ", Enumerable.Range(0, 65).Select(i => $"'V{i}': 'x'"))}}}}}"),
            "jobs[0].env: has 65 entries, at most 64 allowed" },
        { Doc(jobs: $"{{'id': 'j1', 'agent': 'a1', 'command': '{new string('x', 4097)}'}}"), "jobs[0].command: is 4097 characters long, at most 4096 allowed" },

        // file watches
        { Doc(watches: "{'id': 'w1', 'agent': 'a1', 'directory': 'srv/in', 'job': 'j1'}"), "fileWatches[0].directory: 'srv/in' is not an absolute path" },
        { Doc(watches: "{'id': 'w1', 'agent': 'a1', 'directory': '/srv/in', 'job': 'j1', 'pattern': 'sub/*.csv'}"),
            "fileWatches[0].pattern: 'sub/*.csv' must match file names only, without '/' or '\\'" },
        { Doc(watches: "{'id': 'w1', 'agent': 'a1', 'directory': '/srv/in', 'job': 'j1', 'delay': '-1s'}"), "fileWatches[0].delay: '-1s' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { Doc(watches: "{'id': 'w1', 'agent': 'a1', 'directory': '/srv/in', 'job': 'j1', 'rescan': '1.5ms'}"), "fileWatches[0].rescan: '1.5ms' is not a whole number of milliseconds" },

        // sizes
        { $"{{'subagents': [{string.Join(", ", Enumerable.Repeat("{}", 1001))}]}}", "subagents: has 1001 entries, at most 1000 allowed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReportsOneClearLine(string json, string expected)
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(TopologyExamples.J(json)));
        Assert.Equal([expected], error.Errors);
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{'agentClusters': [,]}")]
    [InlineData("not json")]
    public void ReportsTextThatIsNotJson(string json)
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(TopologyExamples.J(json)));
        Assert.StartsWith("topology: not valid JSON (", Assert.Single(error.Errors));
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n  \"agentClusters\": [ x ]\n}", "topology: not valid JSON (line 2, column 22: 'x' is an invalid start of a value)")]
    [InlineData("{ \"agentClusters\": [", "topology: not valid JSON (line 1, column 21: the text ends before every object and array in it is closed)")]
    [InlineData("", "topology: not valid JSON (line 1, column 1: there is no JSON value in it)")]
    public void NamesTheLineAndColumnOfAJsonSyntaxErrorInWords(string json, string expected)
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));
        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Fact]
    public void ReportsEveryProblemAtOnceInFileOrder()
    {
        var json = Doc(
            clusters: "{'id': 'a1', 'directors': {'primary': 'n1', 'secondary': 'n1'}, 'heartbeat': '25x', 'colour': 'red'}",
            subagents: "{'id': 's1', 'agent': 'a1', 'node': 'n1', 'processLimit': 0}, {'id': 's1', 'agent': 'a1', 'node': 'n2'}",
            jobs: "{'id': 'j1', 'agent': 'a1', 'subagentCluster': 'c9', 'builtin': 'nop'}",
            watches: "{'id': 'w1', 'agent': 'a1', 'directory': 'in', 'job': 'j1'}");

        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(TopologyExamples.J(json)));

        string[] expected =
        [
            "agentClusters[0].colour: unknown key (expected one of id, directors, heartbeat, heartbeatTimeout, requireFailoverConfirmation)",
            "agentClusters[0].directors: 'n1' is both primary and secondary; the directors need two nodes",
            "agentClusters[0].heartbeat: '25x' is not a duration (use e.g. 250ms, 1s, 2m)",
            "subagents[0].processLimit: must be between 1 and 10000, found 0",
            "jobs[0].builtin: 'nop' is not a builtin job (known: fail, noop, sleep)",
            "fileWatches[0].directory: 'in' is not an absolute path",
            "subagents[1].id: duplicate id 's1' (also subagents[0])",
            "jobs[0].subagentCluster: there is no subagent cluster 'c9'",
        ];
        Assert.Equal(expected, error.Errors);
        Assert.Equal(string.Join('\n', expected), error.Message);
    }

    [Fact]
    public void ErrorLinesStayOnOneLineWhateverTheInput()
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(TopologyExamples.J(
            Doc(subagents: $"{Subagent}, {{'id': 'a\\nb', 'agent': 'a1', 'node': 'n1'}}"))));
        Assert.Equal(["subagents[1].id: 'a\\u000ab' is not a valid id (use 1-64 characters from A-Z a-z 0-9 . _ -)"], error.Errors);
    }

    [Fact]
    public void RejectsAnOversizedDocumentWithoutReadingIt()
    {
        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(new string(' ', TopologyLimits.MaxDocumentChars + 1)));
        Assert.Equal([$"topology: {TopologyLimits.MaxDocumentChars + 1} characters, at most {TopologyLimits.MaxDocumentChars} allowed"], error.Errors);
    }

    [Fact]
    public void RejectsADocumentWhoseCanonicalFormIsOverTheLimit()
    {
        // Compact, under the limit; indented with its defaults written out (as it is stored and sent), over it.
        var subagents = string.Join(',', Enumerable.Range(0, 1000).Select(i => $$"""{"id":"s{{i}}","agent":"a1","node":"n1"}"""));
        var members = string.Join(',', Enumerable.Range(0, 1000).Select(i => $"\"s{i}\":1"));
        var clusters = string.Join(',', Enumerable.Range(0, 400).Select(i => "{\"id\":\"c" + i + "\",\"agent\":\"a1\",\"subagents\":{" + members + "}}"));
        var json = "{\"agentClusters\":[{\"id\":\"a1\",\"directors\":{\"primary\":\"n1\",\"secondary\":\"n2\"}}],\"subagents\":[" + subagents
            + "],\"subagentClusters\":[" + clusters + "]}";
        Assert.InRange(json.Length, 0, TopologyLimits.MaxDocumentChars);

        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        var line = Assert.Single(error.Errors);
        Assert.StartsWith("topology: ", line, StringComparison.Ordinal);
        Assert.EndsWith($"characters once written out in canonical form (indented, defaults filled in), at most {TopologyLimits.MaxDocumentChars} allowed", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBaseDocumentOfTheTableIsValid() => Assert.Single(TopologyParser.Parse(TopologyExamples.J(Doc())).Jobs);

    /// <summary>A valid document (one entity of each kind) with some lists replaced.</summary>
    private static string Doc(
        string clusters = Cluster,
        string subagents = Subagent,
        string subagentClusters = SubagentCluster,
        string jobs = Job,
        string watches = FileWatch) =>
        $"{{'agentClusters': [{clusters}], 'subagents': [{subagents}], 'subagentClusters': [{subagentClusters}], 'jobs': [{jobs}], 'fileWatches': [{watches}]}}";
}
