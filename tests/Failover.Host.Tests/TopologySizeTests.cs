using System.Text;
using System.Text.Json;
using Failover.Agents.Topology;
using Failover.Testing;
using Orleans.Runtime;

namespace Failover.Host.Tests;

/// <summary>
/// A topology close to the size limit goes all the way: through the client, in one Orleans message to the topology
/// grain, into grain state, and back to the client; the limit is well below Orleans' message body limit.
/// </summary>
public sealed class TopologySizeTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_topology_limit_is_far_below_Orleans_message_body_limit()
    {
        // UTF-8 takes at most 3 bytes for a char of a .NET string (4 for a surrogate pair, which is 2 chars).
        var largestMessage = 3L * TopologyLimits.MaxDocumentChars;
        Assert.True(largestMessage * 2 < new Orleans.Configuration.ClientMessagingOptions().MaxMessageBodySize, "client messages");
        Assert.True(largestMessage * 2 < new Orleans.Configuration.SiloMessagingOptions().MaxMessageBodySize, "silo messages");
        Assert.True(TopologyLimits.MaxFileBytes <= TopologyLimits.MaxDocumentChars, "a file within the byte limit is within the character limit");
    }

    [Fact]
    public async Task A_topology_close_to_the_limit_is_applied_stored_and_read_back()
    {
        var file = Path.Combine(_directory.Path, "large.json");
        var json = LargeTopology();
        await File.WriteAllTextAsync(file, json, new UTF8Encoding(false));
        var bytes = new FileInfo(file).Length;
        var canonical = TopologyParser.Parse(json).ToCanonicalJson().Length;
        Assert.InRange(bytes, TopologyLimits.MaxFileBytes * 95L / 100, TopologyLimits.MaxFileBytes);
        Assert.InRange(canonical, TopologyLimits.MaxDocumentChars * 95L / 100, TopologyLimits.MaxDocumentChars);

        var ports = SiloPorts.Next();
        await using var silo = Programs.StartSilo(
            "--node", "node-a", "--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}", "--database", _directory.SqliteDatabase);
        await Eventually.True(async () => await MembershipReader.FindAsync(_directory.SqliteDatabase, "node-a", SiloStatus.Active) is not null,
            "the silo's row is Active");

        var applied = await Programs.RunClientAsync("apply", "-f", file, "--database", _directory.SqliteDatabase);
        Assert.True(applied.ExitCode == 0, applied.Error);
        Assert.Contains("Topology version 1 applied", applied.Output, StringComparison.Ordinal);

        // Applying it again compares with the stored (canonical) form, which must read back under the same limit.
        var again = await Programs.RunClientAsync("apply", "-f", file, "--database", _directory.SqliteDatabase, "--json");
        Assert.True(again.ExitCode == 0, again.Error);
        var answer = JsonDocument.Parse(again.Output).RootElement;
        Assert.False(answer.GetProperty("changed").GetBoolean());
        Assert.Equal(1, answer.GetProperty("version").GetInt64());

        // The whole topology comes back from the grain to the client.
        var agents = await Programs.RunClientAsync("agents", "--json", "--database", _directory.SqliteDatabase);
        Assert.True(agents.ExitCode == 0, agents.Error);
        Assert.Equal("agent-1", Assert.Single(JsonDocument.Parse(agents.Output).RootElement.EnumerateArray()).GetProperty("id").GetString());
    }

    /// <summary>16 jobs of 64 arguments of 4000 characters: about 98 % of the limit, as a file and in canonical form.</summary>
    private static string LargeTopology()
    {
        var argument = new string('x', 4000);
        var args = string.Join(", ", Enumerable.Repeat($"\"{argument}\"", TopologyLimits.MaxArgs));
        var jobs = string.Join(",\n", Enumerable.Range(0, 16).Select(i =>
            $$"""    { "id": "job-{{i}}", "agent": "agent-1", "subagentCluster": "workers", "command": "/bin/true", "args": [{{args}}] }"""));
        return $$"""
            { "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-x", "secondary": "node-y" } } ],
              "subagents": [ { "id": "sub-x", "agent": "agent-1", "node": "node-x" } ],
              "subagentClusters": [ { "id": "workers", "agent": "agent-1", "subagents": { "sub-x": 1 } } ],
              "jobs": [
            {{jobs}} ] }
            """;
    }
}
