using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Topology;

public sealed class TopologyDocumentTests
{
    private static readonly TopologyDocument Doc = TopologyParser.Parse(TopologyExamples.J("""
        {
          'agentClusters': [
            { 'id': 'a1', 'directors': { 'primary': 'n1', 'secondary': 'n2' } },
            { 'id': 'a2', 'directors': { 'primary': 'n2', 'secondary': 'n3' } }
          ],
          'subagents': [
            { 'id': 's1', 'agent': 'a1', 'node': 'n1' },
            { 'id': 's2', 'agent': 'a2', 'node': 'n1' },
            { 'id': 's3', 'agent': 'a2', 'node': 'n3' }
          ]
        }
        """));

    [Fact]
    public void FindsEntitiesById()
    {
        Assert.Equal("n3", Doc.FindAgentCluster("a2")?.SecondaryNode);
        Assert.Null(Doc.FindAgentCluster("A2"));
        Assert.Equal("n3", Doc.FindSubagent("s3")?.Node);
        Assert.Null(Doc.FindJob("j"));
        Assert.Null(Doc.FindSubagentCluster("c"));
    }

    [Theory]
    [InlineData("n1", "a1:primary")]
    [InlineData("n2", "a1:secondary a2:primary")]
    [InlineData("n3", "a2:secondary")]
    [InlineData("n4", "")]
    public void KnowsTheDirectorInstancesOfANode(string node, string expected) =>
        Assert.Equal(expected, string.Join(' ', Doc.AgentClustersDirectedBy(node).Select(d => $"{d.Cluster.Id}:{d.Instance.ToName()}")));

    [Theory]
    [InlineData("n1", "s1 s2")]
    [InlineData("n2", "")]
    [InlineData("n3", "s3")]
    public void KnowsTheSubagentsOfANode(string node, string expected) =>
        Assert.Equal(expected, string.Join(' ', Doc.SubagentsOn(node).Select(s => s.Id)));

    [Fact]
    public void NamesTheNodeOfEachInstance()
    {
        var cluster = Doc.AgentClusters[1];
        Assert.Equal("n2", cluster.NodeOf(DirectorInstance.Primary));
        Assert.Equal("n3", cluster.NodeOf(DirectorInstance.Secondary));
    }

    [Fact]
    public void EmptyIsEmpty()
    {
        Assert.Empty(TopologyDocument.Empty.AgentClusters);
        Assert.Empty(TopologyDocument.Empty.FileWatches);
        Assert.Equal(new TopologyDocument(), TopologyDocument.Empty);
        Assert.NotEqual(Doc, TopologyDocument.Empty);
    }
}
