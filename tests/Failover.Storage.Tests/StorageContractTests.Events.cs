using Failover.Storage.Events;

namespace Failover.Storage.Tests;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Events_read_back_oldest_first_per_service_and_source_with_database_time()
    {
        await Database.ApplySchemaAsync(None);
        var events = Database.CreateEventLog(ServiceId);
        var before = DateTime.UtcNow.AddMinutes(-5);
        await events.AppendAsync("agent-1", "appointed", "primary node-a, secondary node-b", None);
        await events.AppendAsync("agent-2", "appointed", "primary node-c, secondary node-d", None);
        await events.AppendAsync("agent-1", "coupled", "active primary, epoch 1", None);
        await Database.CreateEventLog(ServiceId + "-other").AppendAsync("agent-1", "failed-over", "elsewhere", None);

        var all = await events.ReadAsync(null, 100, None);
        Assert.Equal(["appointed", "appointed", "coupled"], all.Select(e => e.Kind));
        Assert.True(all[0].Id < all[1].Id && all[1].Id < all[2].Id);
        Assert.All(all, e => Assert.Equal(DateTimeKind.Utc, e.Time.Kind));
        Assert.All(all, e => Assert.InRange(e.Time, before, DateTime.UtcNow.AddMinutes(5)));

        var agentOne = await events.ReadAsync("agent-1", 100, None);
        Assert.Equal(["appointed", "coupled"], agentOne.Select(e => e.Kind));
        Assert.Equal("active primary, epoch 1", agentOne[1].Detail);
        Assert.Empty(await events.ReadAsync("agent-9", 100, None));
    }

    [Fact]
    public async Task Events_limit_keeps_the_newest()
    {
        await Database.ApplySchemaAsync(None);
        var events = Database.CreateEventLog(ServiceId);
        for (var i = 0; i < 5; i++)
        {
            await events.AppendAsync("agent-1", "tick", $"#{i}", None);
        }

        Assert.Equal(["#3", "#4"], (await events.ReadAsync("agent-1", 2, None)).Select(e => e.Detail));
    }

    [Fact]
    public async Task Event_details_too_long_are_cut_and_bad_keys_refused()
    {
        await Database.ApplySchemaAsync(None);
        var events = Database.CreateEventLog(ServiceId);
        await events.AppendAsync("agent-1", "long", new string('x', IClusterEventLog.MaxDetailLength + 500), None);

        Assert.Equal(IClusterEventLog.MaxDetailLength, (await events.ReadAsync("agent-1", 1, None))[0].Detail.Length);
        await Assert.ThrowsAsync<ArgumentException>(() => events.AppendAsync("", "kind", "detail", None));
        await Assert.ThrowsAsync<ArgumentException>(() => events.AppendAsync("agent-1", new string('k', 65), "detail", None));
    }
}
