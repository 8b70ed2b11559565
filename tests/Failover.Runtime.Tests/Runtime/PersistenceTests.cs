using Failover.Runtime.Directory;
using Failover.Runtime.Grains;
using Failover.Runtime.Persistence;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Failover.Testing;

namespace Failover.Runtime.Tests.Runtime;

public sealed class PersistenceTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task State_survives_a_silo_restart_on_the_same_database()
    {
        var port = TestSilo.NextPort();
        await using (var first = await TestSilo.StartAsync(_database.Setting, port: port))
        {
            var counter = first.GrainFactory.GetGrain<ICounterGrain>("orders");
            await counter.Increment("a");
            await counter.Increment("b");
            await counter.Increment("c");
        }

        await using var second = await TestSilo.StartAsync(_database.Setting, port: port);
        var again = second.GrainFactory.GetGrain<ICounterGrain>("orders");

        Assert.Equal(3, await again.Get());
        Assert.Equal(4, await again.Increment("d"));
    }

    [Fact]
    public async Task State_survives_deactivation_and_the_etag_is_the_version()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting);
        var counter = silo.GrainFactory.GetGrain<ICounterGrain>("deactivated");
        Assert.Null(await counter.GetEtag());
        await counter.Increment("x");
        Assert.Equal("1", await counter.GetEtag());

        await counter.Deactivate();
        var events = silo.Services.GetRequiredService<GrainEventLog>();
        await Eventually.True(() => events.Count("deactivate:deactivated:ApplicationRequested") == 1, "the grain deactivated");

        Assert.Equal(1, await counter.Get());
        Assert.Equal("1", await counter.GetEtag());
        Assert.Equal(2, events.Count("activate:deactivated"));
    }

    [Fact]
    public async Task A_write_after_someone_else_wrote_is_a_version_conflict()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting);
        var counter = silo.GrainFactory.GetGrain<ICounterGrain>("conflict");
        await counter.Increment("mine");

        // Another writer, holding the current fence, writes behind the activation's back.
        var grainId = new GrainId("CounterGrain", "conflict");
        var directory = silo.Services.GetRequiredService<IGrainDirectoryTable>();
        var store = silo.Services.GetRequiredService<IGrainStateStore>();
        var entry = await directory.LookupAsync(grainId, CancellationToken.None);
        await store.WriteAsync(grainId, "counter", """{"value":41,"notes":[]}""", 1, new ActivationFence(grainId, entry!.Epoch), CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => counter.Increment("lost"));
        Assert.Contains("conflict", conflict.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_write_after_the_grain_was_claimed_elsewhere_is_fenced_and_the_activation_goes()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting);
        var counter = silo.GrainFactory.GetGrain<ICounterGrain>("fenced");
        await counter.Increment("before");

        var grainId = new GrainId("CounterGrain", "fenced");
        var directory = silo.Services.GetRequiredService<IGrainDirectoryTable>();
        var entry = await directory.LookupAsync(grainId, CancellationToken.None);
        // What a survivor does once this silo is declared dead: the row is released and claimed anew (epoch + 1).
        Assert.True(await directory.ReleaseAsync(grainId, entry!.Owner!, entry.Epoch, CancellationToken.None));
        var other = new Membership.SiloAddress("127.0.0.9", 1, 1);
        var claimed = await directory.TryClaimAsync(grainId, other, CancellationToken.None);
        Assert.Equal(other, claimed.Owner);

        await Assert.ThrowsAsync<ActivationFencedException>(() => counter.Increment("after"));
        var events = silo.Services.GetRequiredService<GrainEventLog>();
        await Eventually.True(() => events.Count("deactivate:fenced:Fenced") == 1, "the fenced activation deactivated");
    }

    [Fact]
    public async Task Calls_that_arrive_while_a_grain_deactivates_wait_and_see_what_it_saved()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting);
        var grain = silo.GrainFactory.GetGrain<ISaveOnDeactivateGrain>("saver");
        for (var i = 0; i < 3; i++)
        {
            await grain.Increment();
        }

        await grain.Deactivate();
        var reads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.Get()));

        Assert.All(reads, value => Assert.Equal(3, value));
    }

    [Fact]
    public async Task Clearing_state_removes_the_record()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting);
        var counter = silo.GrainFactory.GetGrain<ICounterGrain>("cleared");
        await counter.Increment("x");

        await counter.Clear();

        Assert.Equal(0, await counter.Get());
        Assert.Null(await counter.GetEtag());
        Assert.Equal(1, await counter.Increment("y"));
    }
}
