using System.Text.Json;
using Failover.Testing;
using Orleans.Runtime;

namespace Failover.Host.Tests;

/// <summary>A silo that has not seen the newest topology yet reads it when asked about it, instead of failing the caller.</summary>
[Collection(Faults.SiloProcessCollection.Name)]
public sealed class TopologyCatchUpTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Client_agents_right_after_client_apply_shows_the_new_agent_cluster_without_a_crash()
    {
        var a = SiloPorts.Next();
        var b = SiloPorts.Next();
        await using var nodeA = Programs.StartSilo("--node", "node-a", "--port", $"{a.Silo}", "--gateway-port", $"{a.Gateway}", "--database", _directory.SqliteDatabase);
        await using var nodeB = Programs.StartSilo("--node", "node-b", "--port", $"{b.Silo}", "--gateway-port", $"{b.Gateway}", "--database", _directory.SqliteDatabase);
        await Eventually.True(
            async () => (await MembershipReader.ReadAsync(_directory.SqliteDatabase)).Count(r => r.Status == SiloStatus.Active) == 2, "both silos are Active");

        // Each round adds an agent cluster and asks for it at once: the silos' watchers look for a new topology only once a
        // second, so the witness is often activated on a silo that has not seen the version that names it.
        var clusters = new List<string>();
        for (var round = 1; round <= 4; round++)
        {
            clusters.Add($$"""{ "id": "agent-{{round}}", "directors": { "primary": "node-a", "secondary": "node-b" } }""");
            var file = _directory.WriteFile($"topology-{round}.json", $$"""{ "agentClusters": [ {{string.Join(", ", clusters)}} ] }""");
            var applied = await Programs.RunClientAsync("apply", "-f", file, "--database", _directory.SqliteDatabase);
            Assert.True(applied.ExitCode == 0, applied.Error);

            var agents = await Programs.RunClientAsync("agents", "--json", "--database", _directory.SqliteDatabase);

            Assert.True(agents.ExitCode == 0, $"round {round}: exit code {agents.ExitCode}\n{agents.Error}");
            Assert.DoesNotContain("   at ", agents.Error, StringComparison.Ordinal);
            var ids = JsonDocument.Parse(agents.Output).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
            Assert.Contains($"agent-{round}", ids);
        }
    }
}
