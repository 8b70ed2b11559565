using Failover.Runtime.Membership.Protocol;

namespace Failover.Runtime.Tests.MembershipProtocol;

public sealed class SiloLeaseTests
{
    private const long Start = 5_000_000_000_000;

    [Theory]
    // frequency (per second), elapsed in timestamp units, lease ms → valid, remaining ms (elapsed rounds down to a tick)
    [InlineData(10_000_000, 0, 1000, true, 1000)]
    [InlineData(10_000_000, 9_999_999, 1000, true, 0.0001)]
    [InlineData(10_000_000, 10_000_000, 1000, false, 0)]
    [InlineData(10_000_000, 10_000_001, 1000, false, 0)]
    [InlineData(1_000_000_000, 999_999_999, 1000, true, 0.0001)]
    [InlineData(1_000_000_000, 1_000_000_000, 1000, false, 0)]
    [InlineData(1_000_000_000, 250_000_000, 1000, true, 750)]
    [InlineData(10_000_000, -5_000_000, 1000, true, 1500)]
    public void The_lease_holds_for_LeaseTimeout_from_the_start_of_the_last_renewal(long frequency, long elapsed, int leaseMs, bool valid, double remainingMs)
    {
        var lease = TimeSpan.FromMilliseconds(leaseMs);

        Assert.Equal(valid, SiloLease.IsValid(Start + elapsed, Start, frequency, lease));
        Assert.Equal(TimeSpan.FromTicks((long)Math.Round(remainingMs * TimeSpan.TicksPerMillisecond)), SiloLease.Remaining(Start + elapsed, Start, frequency, lease));
    }

    [Fact]
    public void Timestamps_far_apart_do_not_overflow()
    {
        Assert.False(SiloLease.IsValid(long.MaxValue, 0, 1, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.MaxValue, SiloLease.Elapsed(long.MaxValue, 0, 1));
        Assert.True(SiloLease.IsValid(0, long.MaxValue, 1, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_frequency_that_is_not_positive_is_rejected(long frequency)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SiloLease.IsValid(2, 1, frequency, TimeSpan.FromSeconds(1)));
    }
}
