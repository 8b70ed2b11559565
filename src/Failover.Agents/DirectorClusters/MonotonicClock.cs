namespace Failover.Agents.DirectorClusters;

/// <summary>Monotonic time as elapsed time, from a <see cref="TimeProvider"/>, for the pure state machines.</summary>
internal static class MonotonicClock
{
    public static TimeSpan Now(TimeProvider timeProvider) => timeProvider.GetElapsedTime(0, timeProvider.GetTimestamp());
}
