using Failover.Hosting.Reminders;

namespace Failover.Hosting.Tests;

/// <summary>The reminder ticks Orleans skipped, counted from the last tick a grain kept in its state.</summary>
public sealed class MissedTicksTests
{
    private static readonly DateTime First = new(2026, 1, 2, 3, 0, 0, DateTimeKind.Utc);

    [Theory]
    // lastHandled (s after First), current tick (s after First), period (s), missed
    [InlineData(null, 0.0, 1.0, 0L)] // the first tick
    [InlineData(0.0, 1.0, 1.0, 0L)] // the next tick, on time
    [InlineData(0.0, 1.4, 1.0, 0L)] // the next tick, late
    [InlineData(0.0, 0.6, 1.0, 0L)] // the next tick, early
    [InlineData(0.0, 2.0, 1.0, 1L)] // one skipped
    [InlineData(0.0, 1.6, 1.0, 1L)] // one skipped, the next early
    [InlineData(0.0, 2.5, 1.0, 2L)] // halfway rounds away from zero
    [InlineData(10.0, 70.0, 1.0, 59L)] // a minute without delivery
    [InlineData(0.0, 3600.0, 60.0, 59L)] // an hour of minute reminders
    [InlineData(5.0, 3.0, 1.0, 0L)] // the clock went back
    [InlineData(5.0, 5.0, 1.0, 0L)] // the same tick again
    [InlineData(0.0, 10.0, 0.0, 0L)] // no period
    public void Count(double? lastHandled, double current, double period, long missed)
    {
        var status = new TickStatus(First, TimeSpan.FromSeconds(period), First.AddSeconds(current));
        DateTime? last = lastHandled is { } seconds ? First.AddSeconds(seconds) : null;

        Assert.Equal(missed, MissedTicks.Count(last, status));
    }
}
