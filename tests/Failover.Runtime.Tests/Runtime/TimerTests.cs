using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Failover.Testing;

namespace Failover.Runtime.Tests.Runtime;

public sealed class TimerTests : SingleSiloTestBase
{
    [Fact]
    public async Task Timer_ticks_run_as_turns_and_never_overlap()
    {
        var grain = Silo.GrainFactory.GetGrain<ITimerGrain>("t");
        await grain.Start(TimeSpan.FromMilliseconds(10));

        await Eventually.True(async () => await grain.GetTicks() >= 5, "the timer ticked five times");
        Assert.Equal(0, await grain.GetOverlaps());
    }

    [Fact]
    public async Task Ticks_follow_the_clock_and_a_disposed_timer_stops_ticking()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        using var database = new TempDatabase();
        await using var silo = await TestSilo.StartAsync(database.Setting, configureServices: s => s.AddSingleton<TimeProvider>(time));
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>("manual");
        await grain.Start(TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, await grain.GetTicks());

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.True(async () => await grain.GetTicks() == 1, "the first tick ran");
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.True(async () => await grain.GetTicks() == 2, "the second tick ran");

        await grain.Stop();
        time.Advance(TimeSpan.FromSeconds(10));
        // A tick queued by that advance would run before this call: the mailbox is first in, first out.
        Assert.Equal(2, await grain.GetTicks());
    }

    [Fact]
    public async Task An_interleaving_timer_of_a_reentrant_grain_ticks_while_a_request_waits()
    {
        var grain = Silo.GrainFactory.GetGrain<IInterleavingTimerGrain>("interleaving");
        var waiting = grain.WaitForOpen();
        await grain.Start(TimeSpan.FromMilliseconds(10), interleave: true);

        await Eventually.True(async () => await grain.GetTicks() >= 3, "the timer ticked while WaitForOpen was pending");
        Assert.False(waiting.IsCompleted);
        await grain.Open();
        await waiting;
    }
}
