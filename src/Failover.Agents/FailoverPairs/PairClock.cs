namespace Failover.Agents.FailoverPairs;

/// <summary>
/// The one clock of a pair's timeout decisions, in the failover agents and in the witness: monotonic elapsed time of
/// this process (<see cref="TimeProvider.GetTimestamp"/>), which an NTP step of the wall clock does not move. Its
/// values mean something only within one process — none is ever sent to another (the witness measures the age of each
/// report on its own clock, from when it received it). The wall clock is for display only.
/// </summary>
internal static class PairClock
{
    public static TimeSpan Now(TimeProvider time) => time.GetElapsedTime(0, time.GetTimestamp());
}
