using Failover.Runtime.Grains;

namespace Failover.Runtime.Reminders;

/// <summary>One row of OrleansRemindersTable. <see cref="Version"/> is the row's optimistic-concurrency tag.</summary>
public sealed record ReminderEntry
{
    public required GrainId GrainId { get; init; }

    public required string ReminderName { get; init; }

    /// <summary>UTC time of the first tick; later ticks fall on StartTime + k * Period.</summary>
    public required DateTime StartTime { get; init; }

    public required TimeSpan Period { get; init; }

    public uint GrainHash => GrainId.GetUniformHashCode();

    public long Version { get; init; }
}
