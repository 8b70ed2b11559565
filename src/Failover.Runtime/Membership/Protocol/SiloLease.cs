namespace Failover.Runtime.Membership.Protocol;

/// <summary>
/// The local lease on the monotonic clock: valid for LeaseTimeout from the start of the last successful renewal.
/// A silo whose lease is not valid must not act (DESIGN §4); DeathTimeout &gt; LeaseTimeout makes it stop before
/// others may declare it Dead.
/// </summary>
public static class SiloLease
{
    public static bool IsValid(long nowTimestamp, long lastRenewalStartTimestamp, long timestampFrequency, TimeSpan leaseTimeout) =>
        Elapsed(nowTimestamp, lastRenewalStartTimestamp, timestampFrequency) < leaseTimeout;

    /// <summary>How long until the lease expires; zero when it has.</summary>
    public static TimeSpan Remaining(long nowTimestamp, long lastRenewalStartTimestamp, long timestampFrequency, TimeSpan leaseTimeout)
    {
        var elapsed = Elapsed(nowTimestamp, lastRenewalStartTimestamp, timestampFrequency);
        return elapsed >= leaseTimeout ? TimeSpan.Zero : leaseTimeout - elapsed;
    }

    /// <summary>Time since the renewal started; negative when the renewal started after <paramref name="nowTimestamp"/> was taken.</summary>
    public static TimeSpan Elapsed(long nowTimestamp, long lastRenewalStartTimestamp, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        // Int128: exact at the edges, and no overflow whatever the timestamps.
        var ticks = ((Int128)nowTimestamp - lastRenewalStartTimestamp) * TimeSpan.TicksPerSecond / timestampFrequency;
        return new TimeSpan((long)Int128.Clamp(ticks, long.MinValue, long.MaxValue));
    }
}
