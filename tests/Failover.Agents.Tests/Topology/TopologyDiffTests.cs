using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Topology;

public sealed class TopologyDiffTests
{
    private static readonly TopologyDocument Full = TopologyParser.Parse(TopologyExamples.Full);

    public static TheoryData<string, string, string> Changes => new()
    {
        { "\"heartbeat\": \"250ms\"", "\"heartbeat\": \"100ms\"", "agent cluster agent-1: heartbeat 250ms -> 100ms" },
        { "\"heartbeatTimeout\": \"1s\", \"requireFailoverConfirmation\": false", "\"heartbeatTimeout\": \"2s\", \"requireFailoverConfirmation\": true",
            "agent cluster agent-1: heartbeatTimeout 1s -> 2s, requireFailoverConfirmation false -> true" },
        { "\"secondary\": \"node-b\"", "\"secondary\": \"node-d\"", "agent cluster agent-1: directors.secondary node-b -> node-d" },
        { "\"processLimit\": 2, \"enabled\": false", "\"processLimit\": 3, \"enabled\": true", "subagent sub-b: processLimit 2 -> 3, enabled false -> true" },
        { "\"sub-b\": 2, \"sub-c\": 1", "\"sub-b\": 5", "subagent cluster workers: subagents.sub-b 2 -> 5, subagents.sub-c 1 -> (none)" },
        { "\"args\": [\"hello\"]", "\"args\": [\"bye\", \"now\"], \"env\": { \"HOME\": \"/root\" }",
            "job hello: args [\"hello\"] -> [\"bye\",\"now\"], env.HOME (none) -> /root" },
        { "\"timeout\": \"30s\"", "\"processLimit\": 4", "job hello: timeout 30s -> (none), processLimit (none) -> 4" },
        { "\"builtin\": \"noop\"", "\"command\": \"/bin/true\"", "job nothing: builtin noop -> (none), command (none) -> /bin/true" },
        { "\"delay\": \"1s\"", "\"delay\": \"1500ms\", \"rescan\": \"1m\"", "file watch inbox: delay 1s -> 1500ms, rescan 10s -> 1m" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void NamesEachChangedField(string before, string after, string line)
    {
        Assert.Contains(before, TopologyExamples.Full, StringComparison.Ordinal);
        var changed = TopologyParser.Parse(TopologyExamples.Full.Replace(before, after, StringComparison.Ordinal));

        Assert.Equal([line], TopologyDiff.Describe(Full, changed));
    }

    [Fact]
    public void NothingChangesNothing()
    {
        Assert.Empty(TopologyDiff.Describe(Full, TopologyParser.Parse(TopologyExamples.Full)));
        Assert.Empty(TopologyDiff.Describe(TopologyDocument.Empty, TopologyDocument.Empty));
    }

    [Fact]
    public void ListsAdditionsAndRemovalsByKindThenId()
    {
        Assert.Equal(
            [
                "agent cluster agent-1: added",
                "subagent sub-a: added",
                "subagent sub-b: added",
                "subagent sub-c: added",
                "subagent cluster workers: added",
                "job hello: added",
                "job nothing: added",
                "file watch inbox: added",
            ],
            TopologyDiff.Describe(TopologyDocument.Empty, Full));
        Assert.Equal(8, TopologyDiff.Describe(Full, TopologyDocument.Empty).Count(l => l.EndsWith(": removed", StringComparison.Ordinal)));
    }

    [Fact]
    public void ShowsARenameAsARemovalAndAnAddition()
    {
        var renamed = TopologyParser.Parse(TopologyExamples.Full.Replace("\"id\": \"inbox\"", "\"id\": \"drop\"", StringComparison.Ordinal));

        Assert.Equal(["file watch drop: added", "file watch inbox: removed"], TopologyDiff.Describe(Full, renamed));
    }
}
