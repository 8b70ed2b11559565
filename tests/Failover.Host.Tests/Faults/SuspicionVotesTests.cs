using System.Text.Json;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary><c>client members</c> shows who suspects whom, from the SuspectTimes column.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class SuspicionVotesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task Client_members_names_the_voters_of_a_suspected_silo(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);

        // Two of three silos frozen: node-a's vote is one of the two needed (Membership:NumVotesForDeathDeclaration), so
        // they stay suspected, Active; a long IAmAlive miss period keeps their stale rows from lowering the votes needed
        // meanwhile (Orleans no longer counts a silo that missed its IAmAlive updates among the voters).
        await using var cluster = await ProcessCluster.StartAsync(
            database, output, ["node-a", "node-b", "node-c"], "Membership:IAmAliveTablePublishTimeout=00:00:30");
        var voterAddress = (await cluster.WaitForStatusAsync("node-a", SiloStatus.Active)).Address;
        var voter = voterAddress.ToParsableString();
        cluster["node-b"].Pause();
        cluster["node-c"].Pause();

        await cluster.WaitUntilAsync(
            async () => (await database.ReadMembershipAsync()).Entries
                .Where(e => e.SiloName is "node-b" or "node-c")
                .All(e => e.SuspectTimes.Any(v => v.Voter.Equals(voterAddress))),
            "node-a has voted against node-b and node-c");

        var (exitCode, table, error) = await Programs.RunClientAsync("members", "--database", database.Setting, "--cluster-id", database.ClusterId);
        Assert.True(exitCode == 0, error);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.EndsWith("SUSPECTED BY", lines[0], StringComparison.Ordinal);
        foreach (var suspect in new[] { "node-b", "node-c" })
        {
            var line = Assert.Single(lines, l => l.StartsWith(suspect + " ", StringComparison.Ordinal));
            Assert.Contains(" Active ", line, StringComparison.Ordinal);
            Assert.EndsWith($"  {voter}", line, StringComparison.Ordinal);
        }

        Assert.EndsWith("  -", Assert.Single(lines, l => l.StartsWith("node-a ", StringComparison.Ordinal)), StringComparison.Ordinal);

        var (jsonExitCode, json, jsonError) = await Programs.RunClientAsync("members", "--database", database.Setting, "--cluster-id", database.ClusterId, "--json");
        Assert.True(jsonExitCode == 0, jsonError);
        var members = JsonDocument.Parse(json).RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("siloName").GetString()!);
        var votes = members["node-b"].GetProperty("suspectTimes").EnumerateArray().ToList();
        var vote = Assert.Single(votes, v => v.GetProperty("voter").GetString() == voter);
        Assert.Equal(JsonValueKind.String, vote.GetProperty("time").ValueKind);
        Assert.Equal("Active", members["node-b"].GetProperty("status").GetString());
        Assert.Empty(members["node-a"].GetProperty("suspectTimes").EnumerateArray());
    }
}
