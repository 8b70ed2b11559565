using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Failover.Testing;

namespace Failover.Runtime.Tests.Runtime;

public sealed class ReminderTests : IDisposable
{
    private static readonly Dictionary<string, string?> s_fastReminders = new()
    {
        ["Reminders:MinimumReminderPeriod"] = "00:00:00.050",
        ["Reminders:RefreshPeriod"] = "00:00:00.200",
    };

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_sub_second_reminder_fires_repeatedly()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting, s_fastReminders);
        var key = Guid.NewGuid().ToString("N");
        await silo.GrainFactory.GetGrain<IReminderGrain>(key).Register("fast", TimeSpan.Zero, TimeSpan.FromMilliseconds(100));

        var events = silo.Services.GetRequiredService<GrainEventLog>();
        await Eventually.True(() => events.Count($"tick:{key}:fast") >= 3, "the reminder ticked three times");
        var first = ReminderGrain.Ticks.First(t => t.Key == key);
        Assert.Equal(TimeSpan.FromMilliseconds(100), first.Status.Period);
    }

    [Fact]
    public async Task A_reminder_fires_again_after_the_silo_restarts_on_the_same_database()
    {
        var key = Guid.NewGuid().ToString("N");
        var port = TestSilo.NextPort();
        await using (var first = await TestSilo.StartAsync(_database.Setting, s_fastReminders, port: port))
        {
            await first.GrainFactory.GetGrain<IReminderGrain>(key).Register("durable", TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
            var before = first.Services.GetRequiredService<GrainEventLog>();
            await Eventually.True(() => before.Count($"tick:{key}:durable") >= 1, "the reminder ticked before the restart");
        }

        // Nobody calls the grain after the restart: only the reminders table can bring it back.
        await using var second = await TestSilo.StartAsync(_database.Setting, s_fastReminders, port: port);
        var after = second.Services.GetRequiredService<GrainEventLog>();
        await Eventually.True(() => after.Count($"tick:{key}:durable") >= 2, "the reminder ticked on the restarted silo");
    }

    [Fact]
    public async Task An_unregistered_reminder_stops_and_is_no_longer_listed()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting, s_fastReminders);
        var key = Guid.NewGuid().ToString("N");
        var grain = silo.GrainFactory.GetGrain<IReminderGrain>(key);
        await grain.Register("a", TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        await grain.Register("b", TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        Assert.Equal(["a", "b"], (await grain.List()).Order());

        await grain.Unregister("a");

        Assert.Equal(["b"], await grain.List());
    }

    [Fact]
    public async Task A_period_below_the_minimum_is_refused()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting, s_fastReminders);
        var grain = silo.GrainFactory.GetGrain<IReminderGrain>("too-fast");

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Register("x", TimeSpan.Zero, TimeSpan.FromMilliseconds(10)));
        Assert.Contains("at least 50 ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticks_that_fell_due_while_the_silo_could_not_fire_are_counted_as_missed()
    {
        var start = DateTimeOffset.UtcNow;
        var time = new ManualTimeProvider(start);
        await using var silo = await TestSilo.StartAsync(_database.Setting, s_fastReminders, s => s.AddSingleton<TimeProvider>(time));
        var key = Guid.NewGuid().ToString("N");
        await silo.GrainFactory.GetGrain<IReminderGrain>(key).Register("missed", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(() => ReminderGrain.Ticks.Count(t => t.Key == key) == 1, "the first tick arrived");
        // The silo's clock jumps 5.5 s at once (as after a pause): ticks 2 to 5 are skipped, tick 6 is delivered.
        time.Jump(TimeSpan.FromSeconds(5.5));
        // Loops that were busy (e.g. a lease renewal waiting on the database) during the jump schedule their next turn
        // on the manual clock afterwards: nudge it forward in small steps, well short of tick 7 (due at 7 s).
        await Eventually.True(
            () =>
            {
                if (ReminderGrain.Ticks.Count(t => t.Key == key) >= 2)
                {
                    return true;
                }

                if (time.GetUtcNow() < start + TimeSpan.FromSeconds(6.9))
                {
                    time.Advance(TimeSpan.FromMilliseconds(20));
                }

                return false;
            },
            "the late tick arrived");

        var ticks = ReminderGrain.Ticks.Where(t => t.Key == key).ToList();
        Assert.Equal(0, ticks[0].Status.MissedTicks);
        Assert.Equal(4, ticks[1].Status.MissedTicks);
        Assert.Equal(ticks[0].Status.FirstTickTime + TimeSpan.FromSeconds(5), ticks[1].Status.CurrentTickTime);
    }
}
