namespace Failover.Runtime.Reminders;

/// <summary>
/// The tick times of a reminder: StartTime + k * Period for k = 0, 1, 2, … Pure arithmetic, so it is the same on
/// every silo that loads the row.
/// </summary>
internal readonly record struct ReminderSchedule(DateTime StartTime, TimeSpan Period)
{
    public DateTime TickTime(long index) => StartTime + (Period * index);

    /// <summary>The index of the last tick due at or before <paramref name="now"/>; -1 before the first.</summary>
    public long LastDueIndex(DateTime now) =>
        now < StartTime ? -1 : (now - StartTime).Ticks / Period.Ticks;
}
