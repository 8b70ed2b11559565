using Failover.Hosting.Leases;
using Failover.Testing;
using Microsoft.Extensions.Options;

namespace Failover.Hosting.Tests;

/// <summary>The node lease on the silo's own monotonic clock (a manual one here), counted from when a renewal was sent.</summary>
public sealed class NodeLeaseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly NodeLease _lease;

    public NodeLeaseTests()
    {
        _lease = new NodeLease(Options.Create(new NodeLeaseOptions { RenewPeriod = TimeSpan.FromMilliseconds(250), Timeout = Timeout }), _time);
    }

    [Fact]
    public async Task It_is_not_held_before_the_first_renewal()
    {
        Assert.False(_lease.IsHeld);
        Assert.Equal(Timeout, _lease.Timeout);
        Assert.False(await _lease.WaitUntilHeldAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    [Fact]
    public void It_is_held_from_a_renewal_until_one_timeout_after_it_was_sent()
    {
        _lease.Renewed(_time.GetTimestamp());

        _time.Advance(Timeout - Tick);
        Assert.True(_lease.IsHeld);
        _time.Advance(Tick);
        Assert.False(_lease.IsHeld);
    }

    [Fact]
    public void It_counts_from_when_the_renewal_was_sent_not_from_when_the_database_answered()
    {
        var sent = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(700));

        _lease.Renewed(sent);

        Assert.True(_lease.IsHeld);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(_lease.IsHeld);
    }

    [Fact]
    public void A_late_answer_to_an_older_renewal_does_not_shorten_the_lease()
    {
        var older = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _lease.Renewed(_time.GetTimestamp());

        _lease.Renewed(older);

        _time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.True(_lease.IsHeld);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(_lease.IsHeld);
    }

    [Fact]
    public async Task A_renewal_answered_after_its_timeout_does_not_give_the_lease_back()
    {
        var sent = _time.GetTimestamp();
        var waiting = _lease.WaitUntilHeldAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        _time.Advance(Timeout);

        _lease.Renewed(sent);

        Assert.False(_lease.IsHeld);
        Assert.False(waiting.IsCompleted);
        _lease.Renewed(_time.GetTimestamp());
        Assert.True(await waiting);
    }

    [Fact]
    public async Task Waiting_returns_at_once_while_held_and_when_a_renewal_comes_otherwise()
    {
        _lease.Renewed(_time.GetTimestamp());
        var atOnce = _lease.WaitUntilHeldAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(atOnce.IsCompletedSuccessfully);
        Assert.True(await atOnce);

        _time.Advance(Timeout);
        var waiting = _lease.WaitUntilHeldAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        _lease.Renewed(_time.GetTimestamp());
        Assert.True(await waiting);
    }

    [Fact]
    public async Task Waiting_through_a_second_lapse_needs_a_new_renewal()
    {
        _lease.Renewed(_time.GetTimestamp());
        _time.Advance(Timeout);
        var first = _lease.WaitUntilHeldAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        _lease.Renewed(_time.GetTimestamp());
        Assert.True(await first);

        _time.Advance(Timeout);

        // The first lapse's signal has fired; the second wait is not satisfied by it.
        Assert.False(await _lease.WaitUntilHeldAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
        var second = _lease.WaitUntilHeldAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.False(second.IsCompleted);
        _lease.Renewed(_time.GetTimestamp());
        Assert.True(await second);
    }

    [Fact]
    public async Task Waiting_ends_with_the_callers_cancellation()
    {
        using var cancellation = new CancellationTokenSource();
        var waiting = _lease.WaitUntilHeldAsync(TimeSpan.FromMinutes(5), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
