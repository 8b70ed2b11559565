using Failover.Runtime.Grains;
using Failover.Runtime.Reminders;

namespace Failover.Runtime.Tests.Storage;

public abstract partial class StorageContractTests
{
    private static readonly DateTime ReminderStart = new(2025, 6, 7, 8, 9, 10, 123, DateTimeKind.Utc);

    [Fact]
    public async Task Reminder_upsert_bumps_the_version_and_reads_back_by_grain()
    {
        await Database.ApplySchemaAsync(None);
        var reminders = Database.CreateReminderTable(ServiceId);
        var grain = Grain("a");
        var tick = new ReminderEntry { GrainId = grain, ReminderName = "tick", StartTime = ReminderStart, Period = TimeSpan.FromMilliseconds(250) };

        Assert.Equal(1, await reminders.UpsertRowAsync(tick, None));
        Assert.Equal(1, await reminders.UpsertRowAsync(tick with { ReminderName = "tock" }, None));
        Assert.Equal(2, await reminders.UpsertRowAsync(tick with { Period = TimeSpan.FromMinutes(2) }, None));
        await Database.CreateReminderTable(ServiceId + "-other").UpsertRowAsync(tick, None);

        var row = await reminders.ReadRowAsync(grain, "tick", None);
        Assert.Equal(tick with { Period = TimeSpan.FromMinutes(2), Version = 2 }, row);
        Assert.Equal(DateTimeKind.Utc, row!.StartTime.Kind);
        Assert.Equal(["tick", "tock"], (await reminders.ReadRowsAsync(grain, None)).Select(r => r.ReminderName));
        Assert.Empty(await reminders.ReadRowsAsync(Grain("b"), None));
        Assert.Null(await reminders.ReadRowAsync(grain, "missing", None));
    }

    [Fact]
    public async Task The_last_delivered_tick_never_moves_back_and_goes_with_its_reminder()
    {
        await Database.ApplySchemaAsync(None);
        var reminders = Database.CreateReminderTable(ServiceId);
        var grain = Grain("a");
        var version = await reminders.UpsertRowAsync(
            new ReminderEntry { GrainId = grain, ReminderName = "tick", StartTime = ReminderStart, Period = TimeSpan.FromSeconds(1) }, None);
        Assert.Null(await reminders.ReadLastDeliveredTickAsync(grain, "tick", None));

        await reminders.RecordDeliveredTickAsync(grain, "tick", ReminderStart.AddSeconds(5), None);
        await reminders.RecordDeliveredTickAsync(grain, "tick", ReminderStart.AddSeconds(3), None);
        await Database.CreateReminderTable(ServiceId + "-other").RecordDeliveredTickAsync(grain, "tick", ReminderStart.AddSeconds(9), None);

        Assert.Equal(ReminderStart.AddSeconds(5), await reminders.ReadLastDeliveredTickAsync(grain, "tick", None));
        Assert.Equal(DateTimeKind.Utc, (await reminders.ReadLastDeliveredTickAsync(grain, "tick", None))!.Value.Kind);
        Assert.True(await reminders.RemoveRowAsync(grain, "tick", version, None));
        Assert.Null(await reminders.ReadLastDeliveredTickAsync(grain, "tick", None));
    }

    [Fact]
    public async Task Reminder_remove_needs_the_current_version()
    {
        await Database.ApplySchemaAsync(None);
        var reminders = Database.CreateReminderTable(ServiceId);
        var grain = Grain("a");
        var version = await reminders.UpsertRowAsync(
            new ReminderEntry { GrainId = grain, ReminderName = "tick", StartTime = ReminderStart, Period = TimeSpan.FromSeconds(1) }, None);

        Assert.False(await reminders.RemoveRowAsync(grain, "tick", version + 1, None));
        Assert.NotNull(await reminders.ReadRowAsync(grain, "tick", None));
        Assert.True(await reminders.RemoveRowAsync(grain, "tick", version, None));
        Assert.Null(await reminders.ReadRowAsync(grain, "tick", None));
        Assert.False(await reminders.RemoveRowAsync(grain, "tick", version, None));
    }

    [Fact]
    public async Task Reminder_hash_range_follows_unsigned_ring_order_with_wrap_around()
    {
        await Database.ApplySchemaAsync(None);
        var reminders = Database.CreateReminderTable(ServiceId);
        var grains = Enumerable.Range(0, 48).Select(i => Grain($"ring-{i}")).ToArray();
        foreach (var grain in grains)
        {
            await reminders.UpsertRowAsync(new ReminderEntry { GrainId = grain, ReminderName = "r", StartTime = ReminderStart, Period = TimeSpan.FromSeconds(1) }, None);
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        Assert.Contains(hashes, h => h >= 0x8000_0000u);
        Assert.Contains(hashes, h => h < 0x8000_0000u);
        var firstHigh = hashes.First(h => h >= 0x8000_0000u);
        var lastLow = hashes.Last(h => h < 0x8000_0000u);
        uint[] bounds =
        [
            0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, uint.MaxValue,
            hashes[0], hashes[5], hashes[^1], lastLow, lastLow - 1, firstHigh, firstHigh - 1, hashes[^3],
        ];

        foreach (var begin in bounds)
        {
            foreach (var end in bounds)
            {
                var expected = grains.Where(g => InRing(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order(StringComparer.Ordinal);
                var actual = (await reminders.ReadRowsAsync(begin, end, None)).Select(r => r.GrainId.ToString()).Order(StringComparer.Ordinal);
                Assert.True(expected.SequenceEqual(actual), $"range ({begin:X8}, {end:X8}]: expected [{string.Join(", ", expected)}] got [{string.Join(", ", actual)}]");
            }
        }
    }

    private static bool InRing(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
