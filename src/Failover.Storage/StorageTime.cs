namespace Failover.Storage;

/// <summary>Timestamps are stored as UTC with millisecond precision (timestamp(3)); both providers truncate alike.</summary>
internal static class StorageTime
{
    public static DateTime ToUtcMilliseconds(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        var ticks = utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond);
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    public static long ToMilliseconds(TimeSpan period)
    {
        if (period < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A reminder period must not be negative.");
        }

        return (long)period.TotalMilliseconds;
    }
}
