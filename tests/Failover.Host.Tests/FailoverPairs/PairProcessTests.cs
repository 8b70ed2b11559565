using System.Net;
using System.Text.Json;
using Failover.Host.Tests.Faults;
using Failover.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Failover.Host.Tests.FailoverPairs;

/// <summary>Failover agent pairs on real silo processes: kill -9, hand-back, central outage, wrong keys.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class PairProcessTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task Kill_9_of_the_primary_silo_ends_its_agent_the_secondary_takes_over_and_hands_back(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var pair = await PairCluster.StartAsync(database, output);
        await pair.WaitUntilAsync(() => pair.AgentRunsOn("node-a") && !pair.AgentRunsOn("node-b"), "the primary runs the agent");
        await pair.WaitUntilAsync(async () => await pair.ReadPairAsync() is { } p && p.GetProperty("runningOn").GetString() == "node-a"
            && p.GetProperty("views").GetArrayLength() == 2, "client failover-pairs shows it on node-a");
        var primaryAgent = pair.AgentProcessId("node-a")!.Value;

        await pair.KillAsync("node-a");

        await pair.WaitUntilAsync(() => !PairCluster.IsAlive(primaryAgent), "the primary's agent process is gone with its silo");
        await pair.WaitUntilAsync(() => pair.AgentRunsOn("node-b"), "the secondary starts the agent");
        // The silo's output is read asynchronously: the decision's log line may trail the agent's start.
        await pair.WaitUntilAsync(
            () => pair["node-b"].Log.Contains("primary down, central confirms → start", StringComparison.Ordinal),
            "node-b logged why it started the agent");

        pair.Restart("node-a");

        await pair.WaitUntilAsync(() => pair.AgentRunsOn("node-a") && !pair.AgentRunsOn("node-b"), "the agent is back on the primary alone");
        await pair.WaitUntilAsync(
            () => pair["node-b"].Log.Contains("primary up, central up → stop", StringComparison.Ordinal),
            "node-b logged why it stopped the agent");
        await pair.WaitUntilAsync(async () => await pair.ReadPairAsync() is { } p && p.GetProperty("runningOn").GetString() == "node-a", "client failover-pairs shows it back on node-a");
        var shown = (await pair.ReadPairAsync())!.Value;
        Assert.Equal("standard", shown.GetProperty("behavior").GetString());
        Assert.Equal("node-a", shown.GetProperty("primaryNode").GetString());
        Assert.Equal("node-b", shown.GetProperty("secondaryNode").GetString());
        var view = shown.GetProperty("views").EnumerateArray().Single(v => v.GetProperty("agentId").GetString() == "secondary");
        Assert.Equal("node-b", view.GetProperty("node").GetString());
        Assert.Equal(JsonValueKind.True, view.GetProperty("centralUp").ValueKind);
        Assert.Equal("stop", view.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task With_central_unreachable_the_primary_keeps_its_agent_while_the_secondary_is_up_and_stops_when_both_are_gone()
    {
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(FaultDatabase.PostgresVariable)
            ?? throw new InvalidOperationException($"{FaultDatabase.PostgresVariable} is not set: run tests/run-all.sh, which starts a private PostgreSQL."));
        await using var database = await FaultDatabase.CreateAsync(FaultDatabase.PostgreSql);
        await using var proxy = new TcpProxy(new IPEndPoint((await Dns.GetHostAddressesAsync(server.Host ?? "127.0.0.1"))[0], server.Port));
        var throughProxy = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2, CommandTimeout = 2 };
        // A longer peer timeout than VOLTTRON's 2 s: this test is about central being down, and on a loaded machine a
        // late heartbeat would make the primary see its peer down too, and rightly stop its agent.
        await using var pair = await PairCluster.StartAsync(database, output, databaseOfA: $"postgres:{throughProxy}", peerTimeout: 6);
        await pair.WaitUntilAsync(() => pair.AgentRunsOn("node-a"), "the primary runs the agent");
        var agent = pair.AgentProcessId("node-a")!.Value;

        proxy.Disconnect();
        await pair.WaitUntilAsync(() => pair["node-a"].Log.Contains("secondary up, central down → start", StringComparison.Ordinal), "the primary sees central down");
        await pair.WaitUntilAsync(async () => await pair.ReadPairAsync() is { } p
            && p.GetProperty("views").EnumerateArray().Any(v => v.GetProperty("agentId").GetString() == "secondary" && v.GetProperty("peerUp").GetBoolean()
                && v.GetProperty("decision").GetString() == "stop"), "the secondary still hears the primary and stays stopped");
        Assert.True(PairCluster.IsAlive(agent), $"the primary keeps its agent while the secondary is up\n{pair.Logs()}");
        Assert.False(pair.AgentRunsOn("node-b"));

        await pair.KillAsync("node-b");

        await pair.WaitUntilAsync(() => !PairCluster.IsAlive(agent), "the primary stops its agent with peer and central gone");
        // The silo's output is read asynchronously and may trail the agent's end.
        await pair.WaitUntilAsync(() => pair["node-a"].Log.Contains("secondary down, central down → stop", StringComparison.Ordinal),
            "node-a logged why it stopped the agent");
        Assert.False(pair["node-a"].HasExited);
    }

    [Fact]
    public async Task A_heartbeat_signed_by_another_key_than_remote_serverkey_is_ignored()
    {
        await using var database = await FaultDatabase.CreateAsync(FaultDatabase.Sqlite);
        await using var pair = await PairCluster.StartAsync(database, output, secondaryTrustsKeyOf: "node-x");

        await pair.WaitUntilAsync(
            () => pair["node-b"].Log.Contains("Rejected a heartbeat for demo.agent", StringComparison.Ordinal)
                && pair["node-b"].Log.Contains("not by remote_serverkey", StringComparison.Ordinal),
            "the secondary rejects and logs the primary's heartbeats");
        await pair.WaitUntilAsync(() => pair.AgentRunsOn("node-a"), "the primary runs the agent");
        await pair.WaitUntilAsync(async () => await pair.ReadPairAsync() is { } p
            && p.GetProperty("views").EnumerateArray().Any(v => v.GetProperty("agentId").GetString() == "secondary"
                && !v.GetProperty("peerUp").GetBoolean() && v.GetProperty("decision").GetString() == "verify-with-central"),
            "the secondary does not count the primary up, and central does not confirm a loss");
        Assert.False(pair.AgentRunsOn("node-b"));
        Assert.DoesNotContain("primary up", pair["node-b"].Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_key_prints_one_stable_key_per_data_directory()
    {
        await using var database = await FaultDatabase.CreateAsync(FaultDatabase.Sqlite);
        await using var pair = await PairCluster.StartAsync(database, output);

        var first = await pair.ShowKeyAsync("node-a");

        Assert.Equal(first, await pair.ShowKeyAsync("node-a"));
        Assert.NotEqual(first, await pair.ShowKeyAsync("node-b"));
        Assert.Matches("^[A-Za-z0-9_-]{100,}$", first);
    }
}
