using Failover.Runtime.Grains;

namespace Failover.Runtime.Reminders;

/// <summary>Orleans' reminders table for one ServiceId.</summary>
public interface IReminderTable
{
    Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>
    /// Rows whose GrainHash lies in the ring range (<paramref name="begin"/>, <paramref name="end"/>]. When
    /// begin ≥ end the range wraps around: hash &gt; begin or hash ≤ end (begin == end is the whole ring).
    /// </summary>
    Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(uint begin, uint end, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the row and returns its new version.</summary>
    Task<long> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Notes that the tick scheduled at <paramref name="tickTime"/> reached the grain. Never moves backwards. Kept in
    /// FailoverReminderTicks beside Orleans' table, so a silo taking the reminder over can count the ticks missed.
    /// </summary>
    Task RecordDeliveredTickAsync(GrainId grainId, string reminderName, DateTime tickTime, CancellationToken cancellationToken);

    /// <summary>The last tick time recorded by <see cref="RecordDeliveredTickAsync"/>; null when none.</summary>
    Task<DateTime?> ReadLastDeliveredTickAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken);

    /// <summary>Deletes the row if it still has <paramref name="version"/>. False when it is missing or changed.</summary>
    Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, long version, CancellationToken cancellationToken);
}
