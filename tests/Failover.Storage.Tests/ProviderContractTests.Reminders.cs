using Orleans;
using Orleans.Runtime;

namespace Failover.Storage.Tests;

public abstract partial class ProviderContractTests
{
    [Fact]
    public async Task Upserted_reminders_read_back_with_a_new_version_each_time()
    {
        var table = await RemindersAsync();
        var grain = ReminderGrain("a");

        var first = await table.UpsertRow(Reminder(grain, "tick", TimeSpan.FromSeconds(1)));
        Assert.False(string.IsNullOrEmpty(first));

        var read = await table.ReadRow(grain, "tick");
        Assert.NotNull(read);
        Assert.Equal(grain, read.GrainId);
        Assert.Equal("tick", read.ReminderName);
        AssertStoredTime(T0, read.StartAt);
        Assert.Equal(TimeSpan.FromSeconds(1), read.Period);
        Assert.Equal(first, read.ETag);

        // A period beyond int milliseconds is bound as a long.
        var month = TimeSpan.FromDays(31);
        var second = await table.UpsertRow(Reminder(grain, "tick", month, T0.AddDays(1)));
        Assert.NotEqual(first, second);

        var updated = await table.ReadRow(grain, "tick");
        Assert.NotNull(updated);
        Assert.Equal(second, updated.ETag);
        Assert.Equal(month, updated.Period);
        AssertStoredTime(T0.AddDays(1), updated.StartAt);
    }

    [Fact]
    public async Task Reminders_of_a_grain_are_read_together_and_only_theirs()
    {
        var table = await RemindersAsync();
        var other = await RemindersAsync($"other-{ServiceId}");
        var a = ReminderGrain("a");
        var b = ReminderGrain("b");
        await table.UpsertRow(Reminder(a, "one", TimeSpan.FromSeconds(1)));
        await table.UpsertRow(Reminder(a, "two", TimeSpan.FromSeconds(2)));
        await table.UpsertRow(Reminder(b, "one", TimeSpan.FromSeconds(3)));
        await other.UpsertRow(Reminder(a, "three", TimeSpan.FromSeconds(4)));

        var ofA = await table.ReadRows(a);

        Assert.Equal(["one", "two"], ofA.Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal));
        Assert.All(ofA.Reminders, r => Assert.Equal(a, r.GrainId));
        Assert.Null(await table.ReadRow(a, "three"));
        Assert.Null(await table.ReadRow(ReminderGrain("nobody"), "one"));
    }

    [Fact]
    public async Task A_reminder_is_removed_only_with_its_current_version()
    {
        var table = await RemindersAsync();
        var grain = ReminderGrain("a");
        var first = await table.UpsertRow(Reminder(grain, "tick", TimeSpan.FromSeconds(1)));
        var current = await table.UpsertRow(Reminder(grain, "tick", TimeSpan.FromSeconds(2)));

        Assert.False(await table.RemoveRow(grain, "tick", first!));
        Assert.Equal(current, (await table.ReadRow(grain, "tick"))?.ETag);

        Assert.True(await table.RemoveRow(grain, "tick", current!));
        Assert.Null(await table.ReadRow(grain, "tick"));
        Assert.False(await table.RemoveRow(grain, "tick", current!));
    }

    [Fact]
    public async Task Clearing_the_table_removes_the_service_s_reminders_only()
    {
        var table = await RemindersAsync();
        var other = await RemindersAsync($"other-{ServiceId}");
        await table.UpsertRow(Reminder(ReminderGrain("a"), "tick", TimeSpan.FromSeconds(1)));
        await other.UpsertRow(Reminder(ReminderGrain("a"), "tick", TimeSpan.FromSeconds(1)));

        await table.TestOnlyClearTable();

        Assert.Null(await table.ReadRow(ReminderGrain("a"), "tick"));
        Assert.NotNull(await other.ReadRow(ReminderGrain("a"), "tick"));
    }

    [Fact]
    public async Task Range_reads_select_the_ring_range_including_wrap_around()
    {
        var table = await RemindersAsync();
        var other = await RemindersAsync($"other-{ServiceId}");

        // Grains whose ring hashes lie just above 0, around 2^31 (where the signed order wraps) and just below 2^32.
        var grains = GrainsNear(0u, 3).Concat(GrainsNear(0x8000_0000u, 6)).Concat(GrainsNear(0xFFFF_FFFFu, 3)).ToArray();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Reminder(grain, "tick", TimeSpan.FromSeconds(1)));
        }

        await other.UpsertRow(Reminder(grains[0], "elsewhere", TimeSpan.FromSeconds(1)));

        var hashes = grains.Select(g => g.GetUniformHashCode()).ToArray();
        uint[] points =
        [
            0u, 1u, 0x7FFF_FFFFu, 0x8000_0000u, 0x8000_0001u, 0xFFFF_FFFEu, 0xFFFF_FFFFu,
            .. hashes, .. hashes.Select(h => h - 1),
        ];

        var checkedRanges = 0;
        foreach (var begin in points.Distinct())
        {
            foreach (var end in points.Distinct())
            {
                var expected = grains.Where(g => InRange(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order(StringComparer.Ordinal);
                var actual = (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.ToString()).Order(StringComparer.Ordinal);
                Assert.True(
                    expected.SequenceEqual(actual),
                    $"Range ({begin:X8}, {end:X8}]: expected [{string.Join(", ", expected)}], read [{string.Join(", ", actual)}]");
                checkedRanges++;
            }
        }

        Assert.True(checkedRanges > 400);

        // A range from just below 2^32 across 0 holds grains of both ends; one from below to above 2^31 both halves.
        var acrossZero = await table.ReadRows(hashes[^2], hashes[1]);
        Assert.Equal(
            new[] { grains[^1], grains[0], grains[1] }.Select(g => g.ToString()).Order(StringComparer.Ordinal),
            acrossZero.Reminders.Select(r => r.GrainId.ToString()).Order(StringComparer.Ordinal));
        var acrossMiddle = await table.ReadRows(hashes[3], hashes[7]);
        Assert.Equal(
            grains[4..8].Select(g => g.ToString()).Order(StringComparer.Ordinal),
            acrossMiddle.Reminders.Select(r => r.GrainId.ToString()).Order(StringComparer.Ordinal));
    }

    /// <summary>The ring range (begin, end]: it wraps around when begin >= end, and is the whole ring when equal.</summary>
    private static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static GrainId ReminderGrain(string key) => GrainId.Create("reminder-contract", key);

    /// <summary>
    /// <paramref name="count"/> grains whose ring hashes lie within 2^24 of <paramref name="center"/>, half of them
    /// below it (for center 0, all above; for 2^32 - 1, all below), in hash order.
    /// </summary>
    private static GrainId[] GrainsNear(uint center, int count)
    {
        const uint Reach = 1u << 24;
        var below = new List<GrainId>();
        var above = new List<GrainId>();
        var wantBelow = center == 0 ? 0 : center == uint.MaxValue ? count : count / 2;
        var wantAbove = count - wantBelow;
        for (var i = 0; below.Count < wantBelow || above.Count < wantAbove; i++)
        {
            var grain = ReminderGrain($"near-{center:X8}-{i}");
            var hash = grain.GetUniformHashCode();
            if (hash < center && center - hash < Reach && below.Count < wantBelow)
            {
                below.Add(grain);
            }
            else if (hash >= center && hash - center < Reach && above.Count < wantAbove)
            {
                above.Add(grain);
            }
        }

        return [.. below.Concat(above).OrderBy(g => g.GetUniformHashCode())];
    }

    private static ReminderEntry Reminder(GrainId grain, string name, TimeSpan period, DateTime? start = null) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = start ?? T0,
        Period = period,
    };
}
