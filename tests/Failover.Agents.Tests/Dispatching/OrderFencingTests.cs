using System.Net;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Failover.Storage;
using Failover.Storage.Persistence;
using Failover.Storage.Records;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;

namespace Failover.Agents.Tests.Dispatching;

/// <summary>
/// Two activations of one dispatcher over one real database, each with the claim the fenced grain directory granted
/// it, writing their orders the way the grain does (<see cref="OrderStore.WriteBatchAsync"/>, then
/// <see cref="DispatcherCore.Committed"/>). Once the second has claimed the dispatcher, nothing the first writes lands.
/// </summary>
public sealed class OrderFencingTests : IAsyncLifetime
{
    private const string Dispatcher = "workers";
    private const string ClusterId = "cluster";
    private const string ServiceId = "service";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly DateTime Utc = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly GrainId DispatcherGrain = GrainId.Create("jobdispatcher", Dispatcher);
    private static readonly TopologyDocument Topology = TopologyParser.Parse("""
        {
          "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-b" } } ],
          "subagents": [ { "id": "sub-a", "agent": "agent-1", "node": "node-a" } ],
          "subagentClusters": [ { "id": "workers", "agent": "agent-1", "subagents": { "sub-a": 1 } } ],
          "jobs": [ { "id": "work", "agent": "agent-1", "subagentCluster": "workers", "builtin": "noop" } ]
        }
        """);

    private readonly string _root = Directory.CreateTempSubdirectory("failover-order-fencing-").FullName;
    private readonly TimeSpan _now = TimeSpan.FromSeconds(100);
    private IClusterDatabase? _database;

    private IClusterDatabase Database => _database ?? throw new InvalidOperationException("The test database is not open.");

    private IRecordStore Records => Database.CreateRecordStore(ServiceId, ClusterId);

    private OrderStore Orders => new(Records);

    public async Task InitializeAsync()
    {
        _database = ClusterDatabase.Open(DatabaseLocation.Parse($"sqlite:{Path.Combine(_root, "cluster.db")}"));
        await _database.ApplySchemaAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task An_order_write_of_a_dispatcher_activation_that_lost_its_claim_is_refused_as_stale()
    {
        var older = await ClaimAsync(silo: 1);
        var first = await ActivateAsync();
        Add(first, "running");
        Add(first, "waiting");
        Add(first, "done");
        Cancel(first, "done");
        await WriteAsync(first, older);
        Lead(first);
        await WriteAsync(first, older);
        Assert.Equal(["running", "waiting"], first.TakeCommands(new SubagentPoll("sub-a", "sub-a@1", 0, [], 0, false, 1), Topology).Start.Select(r => r.OrderId).Order());
        var done = (await Orders.ReadAsync("done", CancellationToken.None))!.Value.Stored;
        var stored = await StoredAsync();

        // A second activation takes the dispatcher over (a duplicate, or the first one's silo was lost) and reads the orders.
        var newer = await ClaimAsync(silo: 2);
        Assert.True(newer.Epoch > older.Epoch);
        var second = await ActivateAsync();

        // The first goes on from memory: a run ends, a run is cancelled, a new order arrives, an ended one is forgotten.
        first.Reported("sub-a", new RunReport("running", 1, first.Epoch, RunEnd.Exited, 0, null, 10, ""), _now, Utc, Topology);
        Cancel(first, "waiting");
        Add(first, "late");
        var refused = await Assert.ThrowsAsync<StaleDispatcherException>(() => WriteAsync(first, older));
        Assert.Contains($"carried epoch {older.Epoch}", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StaleDispatcherException>(() => Orders.DeleteAsync("done", done.Version, older, CancellationToken.None));
        Assert.Equal(stored, await StoredAsync());

        // The current activation writes as usual.
        Cancel(second, "waiting");
        await WriteAsync(second, newer);
        Assert.True((await Orders.ReadAsync("waiting", CancellationToken.None))!.Value.Order.CancelRequested);
        Assert.Null(await Orders.ReadAsync("late", CancellationToken.None));
        Assert.True(await Orders.DeleteAsync("done", done.Version, newer, CancellationToken.None));
    }

    /// <summary>The dispatcher's claim in the fenced grain directory, by an activation on silo <paramref name="silo"/>.</summary>
    private async Task<ActivationFence> ClaimAsync(int silo)
    {
        var address = new GrainAddress
        {
            GrainId = DispatcherGrain,
            SiloAddress = SiloAddress.New(IPAddress.Loopback, 11110 + silo, silo),
            ActivationId = ActivationId.NewId(),
        };

        // No membership rows: the earlier owner's silo counts as gone, so the claim moves.
        var entry = await Database.CreateGrainDirectory(ClusterId).TryClaimAsync(address, null, CancellationToken.None);
        Assert.Equal(address.SiloAddress, entry.Owner);
        return new ActivationFence(DispatcherGrain, entry.Epoch);
    }

    private async Task<DispatcherCore> ActivateAsync() =>
        new(Dispatcher, new DispatcherSettings(), await Orders.ReadOpenAsync(Dispatcher, CancellationToken.None), _now);

    private void Add(DispatcherCore core, string id) =>
        core.Add(OrderMachine.Submit(id, "work", new Dictionary<string, string>(), Utc).Order, _now);

    private void Cancel(DispatcherCore core, string id) =>
        Assert.NotEqual(OrderStepResult.Refused, core.Apply(core.Find(id)!, OrderMachine.Cancel(core.Find(id)!.Record, Utc), _now).Result);

    private void Lead(DispatcherCore core)
    {
        core.Heard(new SubagentPoll("sub-a", "sub-a@1", 0, [], 0, false, 1), _now, Utc, Topology);
        core.Lead(new DirectorLead("agent-1", 1, "node-a", DirectorClusterState.Coupled, Timeout, core.Ticket(_now)), _now, Utc, Topology);
        core.Dispatch(_now, Utc, Topology, Timeout, full: true);
    }

    /// <summary>What the grain's flush does: the batch written under <paramref name="fence"/>, then committed.</summary>
    private async Task WriteAsync(DispatcherCore core, ActivationFence fence)
    {
        var batch = core.TakeBatch();
        core.Committed(batch, await Orders.WriteBatchAsync(Dispatcher, batch, fence, CancellationToken.None));
    }

    private async Task<IReadOnlyList<StoredRecord>> StoredAsync() =>
        await Records.QueryAsync(OrderStore.Kind, new RecordQuery { Partition = Dispatcher }, CancellationToken.None);
}
