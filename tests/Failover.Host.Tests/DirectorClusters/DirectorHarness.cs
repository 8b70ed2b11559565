using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using Failover.Host.Tests.Faults;
using Failover.Storage.Events;
using Failover.Storage;

namespace Failover.Host.Tests.DirectorClusters;

/// <summary>
/// One agent cluster (primary on node-a, secondary on node-b) over a <see cref="ProcessCluster"/> whose third silo,
/// node-c, hosts the witness. Reads the witness's view through a client of node-c and the events from the database.
/// </summary>
internal sealed class DirectorHarness(ProcessCluster cluster, FaultDatabase database) : IAsyncDisposable
{
    private bool _ownsCluster;

    public const string Agent = "agent-1";

    /// <summary>Silo settings: topology changes are picked up quickly.</summary>
    public static readonly string[] SiloSettings = ["Agents:TopologyRefresh=00:00:00.200"];

    private GrainClient? _client;

    public ProcessCluster Cluster => cluster;

    public static string Topology(bool requireConfirmation = false, string heartbeatTimeout = "1s") => $$"""
        { "agentClusters": [ { "id": "{{Agent}}", "directors": { "primary": "node-a", "secondary": "node-b" },
                               "heartbeat": "250ms", "heartbeatTimeout": "{{heartbeatTimeout}}",
                               "requireFailoverConfirmation": {{(requireConfirmation ? "true" : "false")}} } ] }
        """;

    /// <summary>
    /// A fresh database, the three silo processes and the applied topology; disposing removes all of them. Waits until
    /// the agent cluster is Coupled with the primary acting, and returns that first view in <see cref="Coupled"/>.
    /// </summary>
    public static async Task<DirectorHarness> StartCoupledAsync(
        string databaseKind, Xunit.Abstractions.ITestOutputHelper output, string topology, params string[] extraSettings) =>
        await StartCoupledAsync(await FaultDatabase.CreateAsync(databaseKind), output, topology, extraSettings);

    /// <summary>As above, on <paramref name="database"/>, which the harness then owns.</summary>
    public static async Task<DirectorHarness> StartCoupledAsync(
        FaultDatabase database, Xunit.Abstractions.ITestOutputHelper output, string topology, params string[] extraSettings)
    {
        ProcessCluster? cluster = null;
        try
        {
            cluster = await ProcessCluster.StartAsync(database, output, ["node-a", "node-b", "node-c"], [.. SiloSettings, .. extraSettings]);
            var harness = new DirectorHarness(cluster, database) { _ownsCluster = true };
            await harness.ApplyAsync(topology);
            // The first call to the witness places it, on the silo that receives it: only a silo that knows the agent
            // cluster keeps the witness off its director nodes. The primary's director knows it (it runs from it), so the
            // client asks only once the primary acts, which is after its heartbeat placed the witness.
            await cluster.WaitUntilAsync(
                () => Task.FromResult(cluster["node-a"].Log.Contains("ACTING as active with epoch", StringComparison.Ordinal)),
                "node-a's director acts (its heartbeat placed the witness)");
            harness.Coupled = await harness.WaitForStateAsync("Coupled", "primary");
            await harness.WaitForActingAsync("node-a", harness.Coupled.Epoch);
            return harness;
        }
        catch
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            await database.DisposeAsync();
            throw;
        }
    }

    public DirectorClusterView Coupled { get; private set; } = null!;

    public FaultDatabase Database => database;

    public async Task<TopologyApplyResult> ApplyAsync(string topology) =>
        await (await ClientAsync()).GetGrain<ITopologyGrain>(ITopologyGrain.Key).Apply(topology);

    public async Task<DirectorClusterView?> ViewAsync()
    {
        try
        {
            return await (await ClientAsync()).GetGrain<IDirectorClusterGrain>(Agent).GetView();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The witness may be moving (its silo restarting) or not yet know the topology: ask again.
            return null;
        }
    }

    /// <summary>Waits until the witness's view satisfies <paramref name="condition"/> and returns that view.</summary>
    public async Task<DirectorClusterView> WaitForViewAsync(Func<DirectorClusterView, bool> condition, string because)
    {
        DirectorClusterView? view = null;
        await cluster.WaitUntilAsync(async () => (view = await ViewAsync()) is not null && condition(view), $"{because} (last view: {view})");
        return view!;
    }

    public Task<DirectorClusterView> WaitForStateAsync(string state, string active) =>
        WaitForViewAsync(v => v.State == state && v.Active == active, $"{Agent} is {state} with {active} active");

    public async Task<IReadOnlyList<ClusterEvent>> EventsAsync()
    {
        await using var db = ClusterDatabase.Open(DatabaseLocation.Parse(database.Setting));
        return await db.CreateEventLog(database.ServiceId).ReadAsync(Agent, 1000, CancellationToken.None);
    }

    /// <summary>Whether <paramref name="node"/>'s silo logged that its director acts as active with <paramref name="epoch"/>.</summary>
    public bool LoggedActing(string node, long epoch) =>
        cluster[node].Log.Contains($"ACTING as active with epoch {epoch} ", StringComparison.Ordinal);

    public Task WaitForActingAsync(string node, long epoch) =>
        cluster.WaitUntilAsync(() => Task.FromResult(LoggedActing(node, epoch)), $"{node}'s director acts as active with epoch {epoch}");

    /// <summary>Drops the client (e.g. before its gateway, node-c, is killed).</summary>
    public async Task DisconnectAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
            _client = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        if (_ownsCluster)
        {
            await cluster.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    public async Task<GrainClient> ClientAsync() => _client ??= await cluster.ConnectClientAsync(cluster["node-c"]);
}
