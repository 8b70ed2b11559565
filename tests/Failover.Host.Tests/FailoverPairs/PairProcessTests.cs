using System.Net;
using System.Text;
using System.Text.Json;
using Failover.Agents.FailoverPairs;
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

    /// <summary>
    /// The whole process tree of a managed agent is bound to its silo, not only the process the silo started: after a
    /// kill -9 of the silo the agent's grandchild is gone too, and so is the grandchild of an agent the silo stops.
    /// </summary>
    [Fact]
    public async Task A_managed_agents_grandchild_dies_with_a_kill_9_of_its_silo_and_when_the_silo_stops_the_agent()
    {
        await using var database = await FaultDatabase.CreateAsync(FaultDatabase.Sqlite);
        await using var pair = await PairCluster.StartAsync(database, output, forkGrandchild: true);
        await pair.WaitUntilAsync(() => pair.AgentRunsOn("node-a") && pair.GrandchildProcessId("node-a") is { } g && PairCluster.IsAlive(g),
            "the primary's agent runs and has forked its grandchild");
        var agent = pair.AgentProcessId("node-a")!.Value;
        var grandchild = pair.GrandchildProcessId("node-a")!.Value;

        await pair.KillAsync("node-a");

        await pair.WaitUntilAsync(() => !PairCluster.IsAlive(agent), "the primary's agent is gone with its silo");
        await pair.WaitUntilAsync(() => !PairCluster.IsAlive(grandchild), $"the primary's agent's grandchild {grandchild} is gone with its silo");

        await pair.WaitUntilAsync(() => pair.AgentRunsOn("node-b") && pair.GrandchildProcessId("node-b") is { } g && PairCluster.IsAlive(g),
            "the secondary's agent runs and has forked its grandchild");
        var secondaryAgent = pair.AgentProcessId("node-b")!.Value;
        var secondaryGrandchild = pair.GrandchildProcessId("node-b")!.Value;

        pair.Restart("node-a");

        await pair.WaitUntilAsync(() => !PairCluster.IsAlive(secondaryAgent), "the secondary stops its agent when the primary is back");
        await pair.WaitUntilAsync(() => !PairCluster.IsAlive(secondaryGrandchild), $"the secondary's agent's grandchild {secondaryGrandchild} is stopped with it");
        Assert.False(pair["node-b"].HasExited);
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

    /// <summary>
    /// Bad input on the peer heartbeat endpoint (invariant 5): each malformed, oversized, badly signed, foreign or
    /// replayed request gets one 4xx answer and changes nothing; the endpoint goes on answering good heartbeats and the
    /// pair goes on as before.
    /// </summary>
    [Fact]
    public async Task The_heartbeat_endpoint_refuses_bad_requests_with_one_4xx_each_and_keeps_working()
    {
        await using var database = await FaultDatabase.CreateAsync(FaultDatabase.Sqlite);
        await using var pair = await PairCluster.StartAsync(database, output);
        await pair.WaitUntilAsync(() => pair.AgentRunsOn("node-a") && !pair.AgentRunsOn("node-b"), "the primary runs the agent");
        await pair.WaitUntilAsync(async () => await pair.ReadPairAsync() is { } p
            && p.GetProperty("views").EnumerateArray().Any(v => v.GetProperty("agentId").GetString() == "secondary" && v.GetProperty("peerUp").GetBoolean()),
            "the secondary hears the primary");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{pair["node-b"].Ports.Http}"), Timeout = TimeSpan.FromSeconds(30) };
        using var primaryKeys = SiloKeyPair.LoadOrCreate(pair.DataDirectory("node-a"));
        using var strangerKeys = SiloKeyPair.LoadOrCreate(pair.DataDirectory("node-x"));
        var bootId = Guid.NewGuid().ToString("N");
        PeerHeartbeat Heartbeat(long sequence, SiloKeyPair keys, string identity = PairCluster.Identity) =>
            PeerHeartbeat.Create(identity, PairRole.Primary, "node-a", bootId, sequence, running: true, echo: null, keys);

        await ExpectAsync(http, Body("{ \"identity\": "), HttpStatusCode.BadRequest, "not a heartbeat");
        await ExpectAsync(http, Body("null"), HttpStatusCode.BadRequest, "needs a body");
        await ExpectAsync(http, Body(new string(' ', 20_000)), HttpStatusCode.RequestEntityTooLarge, "at most");
        await ExpectAsync(http, new ChunkedContent(new byte[20_000]), HttpStatusCode.RequestEntityTooLarge, "at most");
        await ExpectAsync(http, Json(Heartbeat(1, primaryKeys) with { Signature = Heartbeat(1, strangerKeys).Signature }), HttpStatusCode.Forbidden,
            "its signature is not valid");
        await ExpectAsync(http, Json(Heartbeat(1, strangerKeys)), HttpStatusCode.Forbidden, "not by remote_serverkey");
        await ExpectAsync(http, Json(Heartbeat(1, primaryKeys, identity: "other.agent")), HttpStatusCode.NotFound, "no failover agent for 'other.agent'");

        // A good heartbeat, signed by the primary's key, is answered by the secondary, signed, echoing it; sent again at
        // once, it is refused as a replay. (The guard remembers the last boot only: when one of the real primary's
        // heartbeats comes in between, the copy counts as another boot's, so the test sends a new pair.)
        var secondaryKey = await pair.ShowKeyAsync("node-b");
        var sequence = 0L;
        await pair.WaitUntilAsync(
            async () =>
            {
                sequence++;
                using (var answered = await http.PostAsync(PeerHeartbeatEndpoint.Path, Json(Heartbeat(sequence, primaryKeys))))
                {
                    var text = await answered.Content.ReadAsStringAsync();
                    Assert.True(answered.IsSuccessStatusCode, $"{(int)answered.StatusCode}: {text}\n{pair.Logs()}");
                    var answer = JsonSerializer.Deserialize(text, PairJsonContext.Default.PeerHeartbeat)!;
                    Assert.Equal($"{bootId}:{sequence}", answer.Echo);
                    Assert.Equal(PairRole.Secondary, answer.AgentId);
                    Assert.True(answer.HasValidSignature());
                    Assert.Equal(secondaryKey, answer.PublicKey);
                }

                using var replayed = await http.PostAsync(PeerHeartbeatEndpoint.Path, Json(Heartbeat(sequence, primaryKeys)));
                var replayText = await replayed.Content.ReadAsStringAsync();
                Assert.True(replayed.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.OK, $"a replay got {(int)replayed.StatusCode}: {replayText}");
                return replayed.StatusCode == HttpStatusCode.Conflict && replayText.Contains("already seen", StringComparison.Ordinal);
            },
            "a replayed heartbeat is refused");

        Assert.Contains("Rejected a heartbeat for demo.agent", pair["node-b"].Log, StringComparison.Ordinal);
        Assert.True(pair.AgentRunsOn("node-a"));
        Assert.False(pair.AgentRunsOn("node-b"));
        Assert.False(pair["node-a"].HasExited || pair["node-b"].HasExited, pair.Logs());
        await pair.WaitUntilAsync(async () => await pair.ReadPairAsync() is { } p
            && p.GetProperty("views").EnumerateArray().Any(v => v.GetProperty("agentId").GetString() == "secondary"
                && v.GetProperty("peerUp").GetBoolean() && v.GetProperty("decision").GetString() == "stop"),
            "the secondary still hears the primary and keeps the agent stopped");
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

    private static StringContent Body(string text) => new(text, Encoding.UTF8, "application/json");

    private static StringContent Json(PeerHeartbeat heartbeat) => Body(JsonSerializer.Serialize(heartbeat, PairJsonContext.Default.PeerHeartbeat));

    private static async Task ExpectAsync(HttpClient http, HttpContent body, HttpStatusCode expected, string reason)
    {
        using (body)
        using (var response = await http.PostAsync(PeerHeartbeatEndpoint.Path, body))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"expected {(int)expected} ({reason}), got {(int)response.StatusCode}: {text}");
            Assert.Contains(reason, text, StringComparison.Ordinal);
        }
    }

    /// <summary>A body sent in chunks, without a Content-Length: its size shows only while it is read.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
