using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Failover.Storage.Tests;

public abstract partial class ProviderContractTests
{
    private const string StateName = "Failover.Storage.Tests.CounterGrain";

    [Fact]
    public async Task The_first_write_of_a_fresh_grain_reads_back()
    {
        var storage = await StorageAsync();
        var grain = StateGrain("fresh");

        var state = new GrainState<CounterState>();
        await storage.ReadStateAsync(StateName, grain, state);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);

        state.State = new CounterState { Count = 7, Note = "first" };
        await storage.WriteStateAsync(StateName, grain, state);
        Assert.True(state.RecordExists);
        Assert.False(string.IsNullOrEmpty(state.ETag));

        var read = await ReadAsync(storage, grain);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(7, read.State!.Count);
        Assert.Equal("first", read.State.Note);

        read.State.Count = 8;
        await storage.WriteStateAsync(StateName, grain, read);
        Assert.NotEqual(state.ETag, read.ETag);
        Assert.Equal(8, (await ReadAsync(storage, grain)).State!.Count);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_an_inconsistent_state()
    {
        var storage = await StorageAsync();
        var other = await StorageAsync();
        var grain = StateGrain("contended");
        await WriteAsync(storage, grain, new GrainState<CounterState>(), 1);

        var first = await ReadAsync(storage, grain);
        var second = await ReadAsync(other, grain);
        first.State!.Count = 2;
        await storage.WriteStateAsync(StateName, grain, first);

        second.State!.Count = 3;
        await Assert.ThrowsAsync<InconsistentStateException>(() => other.WriteStateAsync(StateName, grain, second));

        var read = await ReadAsync(storage, grain);
        Assert.Equal(2, read.State!.Count);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task A_first_write_of_a_grain_written_meanwhile_is_an_inconsistent_state()
    {
        var storage = await StorageAsync();
        var grain = StateGrain("doubled");
        await WriteAsync(storage, grain, new GrainState<CounterState>(), 1);

        var late = new GrainState<CounterState>(new CounterState { Count = 2 }, null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, late));

        Assert.Equal(1, (await ReadAsync(storage, grain)).State!.Count);
    }

    [Theory]
    [InlineData("string")]
    [InlineData("integer")]
    [InlineData("integer+extension")]
    [InlineData("guid+extension")]
    public async Task Parallel_first_writes_of_one_grain_have_exactly_one_winner(string keyKind)
    {
        var storages = new List<IGrainStorage>();
        for (var i = 0; i < 4; i++)
        {
            storages.Add(await StorageAsync());
        }

        var grain = keyKind switch
        {
            "string" => StateGrain("raced"),
            "integer" => GrainId.Create(GrainType.Create("state-contract"), GrainIdKeyExtensions.CreateIntegerKey(42)),
            "integer+extension" => GrainId.Create(GrainType.Create("state-contract"), GrainIdKeyExtensions.CreateIntegerKey(42, "ext")),
            _ => GrainId.Create(GrainType.Create("state-contract"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "ext")),
        };

        var outcomes = await RaceAsync(Enumerable.Range(0, 12).Select(i => (Func<Task<int?>>)(async () =>
        {
            try
            {
                await storages[i % storages.Count].WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Count = i }, null));
                return i;
            }
            catch (InconsistentStateException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(outcomes, o => o is not null);
        var read = await ReadAsync(storages[0], grain);
        Assert.Equal(winner, read.State!.Count);
        Assert.Equal("1", read.ETag);
    }

    [Fact]
    public async Task Grains_differing_in_key_or_extension_only_have_states_of_their_own()
    {
        var storage = await StorageAsync();
        var type = GrainType.Create("state-contract");
        var guid = Guid.NewGuid();
        GrainId[] grains =
        [
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(7)),
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(7, "a")),
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(7, "b")),
            GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(8)),
            GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(guid)),
            GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(guid, "a")),
            GrainId.Create(type, "seven"),
        ];

        for (var i = 0; i < grains.Length; i++)
        {
            await WriteAsync(storage, grains[i], new GrainState<CounterState>(), 100 + i);
        }

        for (var i = 0; i < grains.Length; i++)
        {
            var read = await ReadAsync(storage, grains[i]);
            Assert.Equal(100 + i, read.State!.Count);
            Assert.Equal("1", read.ETag);
        }

        // Another state name of the same grain is another state.
        var named = new GrainState<CounterState>();
        await storage.ReadStateAsync("Failover.Storage.Tests.OtherGrain", grains[0], named);
        Assert.False(named.RecordExists);
    }

    [Fact]
    public async Task Clearing_keeps_a_versioned_empty_row_and_refuses_a_stale_etag()
    {
        var storage = await StorageAsync();
        var grain = StateGrain("cleared");
        var state = await WriteAsync(storage, grain, new GrainState<CounterState>(), 5);
        var stale = await ReadAsync(storage, grain);
        var written = state.ETag;

        await storage.ClearStateAsync(StateName, grain, state);
        Assert.False(state.RecordExists);
        Assert.False(string.IsNullOrEmpty(state.ETag));
        Assert.NotEqual(written, state.ETag);

        var read = await ReadAsync(storage, grain);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(0, read.State!.Count);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));
        stale.State!.Count = 6;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, stale));

        read.State.Count = 9;
        await storage.WriteStateAsync(StateName, grain, read);
        Assert.Equal(9, (await ReadAsync(storage, grain)).State!.Count);
    }

    [Fact]
    public async Task Clearing_with_delete_on_clear_removes_the_row()
    {
        var silo = BuildSilo();
        var storage = await StorageAsync(DeletingStorageName, silo);
        var grain = StateGrain("deleted");
        var state = await WriteAsync(storage, grain, new GrainState<CounterState>(), 5);
        var stale = await ReadAsync(storage, grain);
        state.State!.Count = 6;
        await storage.WriteStateAsync(StateName, grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));

        await storage.ClearStateAsync(StateName, grain, state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);

        var read = await ReadAsync(storage, grain);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);

        // The grain is fresh again: its next first write starts over.
        read.State!.Count = 1;
        await storage.WriteStateAsync(StateName, grain, read);
        Assert.Equal("1", read.ETag);
    }

    private static GrainId StateGrain(string key) => GrainId.Create("state-contract", key);

    private static async Task<GrainState<CounterState>> ReadAsync(IGrainStorage storage, GrainId grain)
    {
        var state = new GrainState<CounterState>();
        await storage.ReadStateAsync(StateName, grain, state);
        return state;
    }

    private static async Task<GrainState<CounterState>> WriteAsync(IGrainStorage storage, GrainId grain, GrainState<CounterState> state, int count)
    {
        state.State = new CounterState { Count = count };
        await storage.WriteStateAsync(StateName, grain, state);
        return state;
    }
}

/// <summary>The grain state the tests store; generated serializer, so Orleans' type allow-list admits it.</summary>
[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public int Count { get; set; }

    [Id(1)]
    public string? Note { get; set; }
}
