namespace Failover.Runtime.Messaging;

/// <summary>Deadline arithmetic shared by silo and gateway calls. <see cref="Timeout.InfiniteTimeSpan"/> means none.</summary>
internal static class CallTimeouts
{
    private static readonly TimeSpan Longest = TimeSpan.FromMilliseconds(int.MaxValue);

    public static void Validate(TimeSpan timeout)
    {
        if (timeout != Timeout.InfiniteTimeSpan && (timeout <= TimeSpan.Zero || timeout > Longest))
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A call timeout must be positive (at most 24 days) or infinite.");
        }
    }

    public static TimeSpan Remaining(TimeSpan timeout, long startedTimestamp, TimeProvider timeProvider)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return timeout;
        }

        var remaining = timeout - timeProvider.GetElapsedTime(startedTimestamp);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>The value of <see cref="Message.TimeoutMs"/>: 0 when there is no deadline, else at least 1.</summary>
    public static int ToMilliseconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? 0 : (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, int.MaxValue);

    public static string Describe(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? "no deadline" : $"{timeout.TotalMilliseconds:0} ms";
}
