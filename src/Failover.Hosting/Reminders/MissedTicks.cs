using Orleans.Runtime;

namespace Failover.Hosting.Reminders;

/// <summary>
/// Orleans skips the ticks of a reminder that were due while nobody could deliver them (its silo died, the ring moved)
/// and says nothing of it. A grain that keeps the time of the last tick it handled in its state counts them itself.
/// </summary>
public static class MissedTicks
{
    /// <summary>
    /// The ticks that fell due after <paramref name="lastHandledTick"/> and before this one; 0 when this is the first
    /// tick, or when the clock went back.
    /// </summary>
    public static long Count(DateTime? lastHandledTick, TickStatus status)
    {
        if (lastHandledTick is not { } last || status.Period <= TimeSpan.Zero)
        {
            return 0;
        }

        var elapsed = status.CurrentTickTime - last;
        // A tick a little late or early still counts as the next one: round to the nearest period.
        var periods = (long)Math.Round(elapsed / status.Period, MidpointRounding.AwayFromZero);
        return Math.Max(0, periods - 1);
    }
}
