using System.Net;
using System.Text.Json;
using Failover.Hosting.Directory;
using Failover.Storage;
using Failover.Storage.Directory;
using Failover.Storage.Persistence;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using JsonGrainStorageSerializer = Failover.Hosting.Storage.JsonGrainStorageSerializer;
using FencedGrainStorage = Failover.Hosting.Storage.FencedGrainStorage;

namespace Failover.Hosting.Tests;

/// <summary>
/// The fenced grain storage on a SQLite file: Orleans' IGrainStorage over our versioned, epoch-checked state table, with
/// its claims granted by the fenced grain directory as a silo's would be.
/// </summary>
public sealed class FencedGrainStorageTests : IAsyncLifetime
{
    private const string ClusterId = "cluster";
    private const string ServiceId = "service";
    private const string StateName = "witness";

    private static readonly SiloAddress Silo = SiloAddress.New(IPAddress.Loopback, 11111, 1);

    private readonly string _root = System.IO.Directory.CreateTempSubdirectory("failover-storage-").FullName;
    private readonly FencingTokens _tokens = new();
    private IClusterDatabase? _database;
    private FencedGrainDirectory? _directory;
    private FencedGrainStorage? _storage;

    private string FilePath => Path.Combine(_root, "cluster.db");

    public enum Mode
    {
        Standby,
        Active,
    }

    public async Task InitializeAsync()
    {
        _database = ClusterDatabase.Open(DatabaseLocation.Parse($"sqlite:{FilePath}"));
        await _database.ApplySchemaAsync(CancellationToken.None);
        _directory = new FencedGrainDirectory(_database.CreateGrainDirectory(ClusterId), _tokens);
        _storage = new FencedGrainStorage(_database.CreateGrainStateStore(ServiceId, ClusterId), _tokens, new JsonGrainStorageSerializer());
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task State_round_trips_and_is_stored_as_json_an_operator_can_read_in_sql()
    {
        var grain = await ClaimedAsync("w");
        var state = new GrainState<WitnessState>(new WitnessState
        {
            ActiveNode = "node-b",
            Mode = Mode.Active,
            History = ["appointed", "coupled"],
            LastTick = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
        });

        await _storage!.WriteStateAsync(StateName, grain, state);

        Assert.Equal(("1", true), (state.ETag, state.RecordExists));
        var (payload, version) = await StoredAsync(grain);
        Assert.Equal(1, version);
        var json = JsonDocument.Parse(payload).RootElement;
        Assert.Equal("node-b", json.GetProperty("activeNode").GetString());
        Assert.Equal("Active", json.GetProperty("mode").GetString());
        Assert.Equal(["appointed", "coupled"], json.GetProperty("history").EnumerateArray().Select(e => e.GetString()));

        var read = new GrainState<WitnessState>(new WitnessState());
        await _storage.ReadStateAsync(StateName, grain, read);
        Assert.Equal(("1", true), (read.ETag, read.RecordExists));
        var back = read.State!;
        Assert.Equal(("node-b", Mode.Active, state.State!.LastTick), (back.ActiveNode, back.Mode, back.LastTick));
        Assert.Equal(["appointed", "coupled"], back.History);

        var never = new GrainState<WitnessState>(new WitnessState { ActiveNode = "default" });
        await _storage.ReadStateAsync(StateName, GrainId.Create("test", "never"), never);
        Assert.Equal((null, false, "default"), (never.ETag, never.RecordExists, never.State!.ActiveNode));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_an_inconsistent_state_and_changes_nothing()
    {
        var grain = await ClaimedAsync("w");
        await _storage!.WriteStateAsync(StateName, grain, new GrainState<WitnessState>(new WitnessState { ActiveNode = "node-a" }));
        var mine = new GrainState<WitnessState>(new WitnessState());
        var stale = new GrainState<WitnessState>(new WitnessState());
        await _storage.ReadStateAsync(StateName, grain, mine);
        await _storage.ReadStateAsync(StateName, grain, stale);
        mine.State!.ActiveNode = "node-b";
        await _storage.WriteStateAsync(StateName, grain, mine);
        stale.State!.ActiveNode = "node-c";

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, grain, stale));
        var fresh = await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync(StateName, grain, new GrainState<WitnessState>(new WitnessState { ActiveNode = "node-d" })));

        Assert.Equal(("2", "1"), (conflict.StoredEtag, conflict.CurrentEtag));
        Assert.Equal(("2", "0"), (fresh.StoredEtag, fresh.CurrentEtag));
        Assert.Equal("1", stale.ETag);
        var (payload, version) = await StoredAsync(grain);
        Assert.Equal(2, version);
        Assert.Equal("node-b", JsonDocument.Parse(payload).RootElement.GetProperty("activeNode").GetString());
    }

    [Fact]
    public async Task A_grain_without_a_claim_on_this_silo_cannot_write_or_clear()
    {
        var never = GrainId.Create("test", "never-claimed");

        var refused = await Assert.ThrowsAsync<ActivationFencedException>(
            () => _storage!.WriteStateAsync(StateName, never, new GrainState<WitnessState>(new WitnessState())));

        Assert.Contains("holds no claim", refused.Message, StringComparison.Ordinal);
        Assert.Null(await _database!.CreateGrainStateStore(ServiceId, ClusterId).ReadAsync(never, StateName, CancellationToken.None));

        // Once its activation unregisters, the claim it had is gone from this silo too.
        var (grain, owner) = await ClaimedWithAddressAsync("released");
        var state = new GrainState<WitnessState>(new WitnessState { ActiveNode = "node-a" });
        await _storage!.WriteStateAsync(StateName, grain, state);
        await _directory!.Unregister(owner);
        await Assert.ThrowsAsync<ActivationFencedException>(() => _storage.WriteStateAsync(StateName, grain, state));
        await Assert.ThrowsAsync<ActivationFencedException>(() => _storage.ClearStateAsync(StateName, grain, state));
        Assert.Equal(1, (await StoredAsync(grain)).Version);
    }

    [Fact]
    public async Task A_claim_taken_over_in_the_directory_fences_the_old_activations_writes()
    {
        var (grain, owner) = await ClaimedWithAddressAsync("w");
        var state = new GrainState<WitnessState>(new WitnessState { ActiveNode = "node-a" });
        await _storage!.WriteStateAsync(StateName, grain, state);
        var other = SiloAddress.New(IPAddress.Loopback, 11112, 1);
        var taken = await _database!.CreateGrainDirectory(ClusterId).TryClaimAsync(
            new GrainAddress { GrainId = grain, SiloAddress = other, ActivationId = ActivationId.NewId() }, owner, CancellationToken.None);
        Assert.Equal(2, taken.Epoch);

        state.State!.ActiveNode = "zombie";
        var fenced = await Assert.ThrowsAsync<ActivationFencedException>(() => _storage.WriteStateAsync(StateName, grain, state));

        Assert.IsAssignableFrom<InconsistentStateException>(fenced);
        Assert.Equal("node-a", JsonDocument.Parse((await StoredAsync(grain)).Payload).RootElement.GetProperty("activeNode").GetString());
    }

    [Fact]
    public async Task Clearing_deletes_the_record_at_its_version_only()
    {
        var grain = await ClaimedAsync("w");
        var state = new GrainState<WitnessState>(new WitnessState { ActiveNode = "node-a" });
        await _storage!.WriteStateAsync(StateName, grain, state);
        var stale = new GrainState<WitnessState>(new WitnessState()) { ETag = "1" };
        await _storage.WriteStateAsync(StateName, grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, grain, stale));
        Assert.Equal(2, (await StoredAsync(grain)).Version);

        await _storage.ClearStateAsync(StateName, grain, state);

        Assert.Equal((null, false), (state.ETag, state.RecordExists));
        Assert.Null(await _database!.CreateGrainStateStore(ServiceId, ClusterId).ReadAsync(grain, StateName, CancellationToken.None));
        await _storage.ClearStateAsync(StateName, grain, state);
        await _storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal("1", state.ETag);
    }

    private async Task<GrainId> ClaimedAsync(string key) => (await ClaimedWithAddressAsync(key)).Grain;

    /// <summary>Registers an activation of the grain on this silo in the fenced directory, as Orleans does on activation.</summary>
    private async Task<(GrainId Grain, GrainAddress Owner)> ClaimedWithAddressAsync(string key)
    {
        var grain = GrainId.Create("test", key);
        var address = new GrainAddress { GrainId = grain, SiloAddress = Silo, ActivationId = ActivationId.NewId() };
        Assert.Same(address, await _directory!.Register(address, null));
        Assert.Equal(new DirectoryEntry(grain, Silo, address.ActivationId, 1), await _database!.CreateGrainDirectory(ClusterId).LookupAsync(grain, CancellationToken.None));
        return (grain, address);
    }

    /// <summary>The state row as an operator reads it with SQL.</summary>
    private async Task<(string Payload, long Version)> StoredAsync(GrainId grain)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Payload, Version FROM FailoverGrainState WHERE ServiceId = $service AND GrainId = $grain AND StateName = $state";
        command.Parameters.AddWithValue("$service", ServiceId);
        command.Parameters.AddWithValue("$grain", grain.ToString());
        command.Parameters.AddWithValue("$state", StateName);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no state row for {grain}");
        return (reader.GetString(0), reader.GetInt64(1));
    }

    public sealed class WitnessState
    {
        public string ActiveNode { get; set; } = "";

        public Mode Mode { get; set; }

        public List<string> History { get; set; } = [];

        public DateTime? LastTick { get; set; }
    }
}
