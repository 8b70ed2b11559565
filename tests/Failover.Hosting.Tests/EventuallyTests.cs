using Failover.Testing;

namespace Failover.Hosting.Tests;

/// <summary>The tests' only way to wait: a monotonic deadline, one last try after it, and a timeout that says what it saw.</summary>
public sealed class EventuallyTests
{
    [Fact]
    public async Task A_timeout_names_the_condition_and_the_last_value_read()
    {
        var reads = 0;

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            Eventually.Value(() => Task.FromResult(++reads), count => count > 1_000_000, "the count passes a million", TimeSpan.FromMilliseconds(100)));

        Assert.Contains("the count passes a million", timeout.Message, StringComparison.Ordinal);
        Assert.Contains("() => Task.FromResult(++reads)", timeout.Message, StringComparison.Ordinal);
        Assert.Contains($"last value: {reads}", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_condition_that_holds_at_the_last_try_after_the_deadline_passes()
    {
        var tries = 0;

        // The deadline has passed at the first check; the condition holds from the second try on.
        await Eventually.True(() => ++tries >= 2, "the second try", TimeSpan.Zero);

        Assert.Equal(2, tries);
    }

    [Fact]
    public async Task The_value_that_satisfied_the_wait_is_returned()
    {
        var reads = 0;

        var value = await Eventually.Value(() => Task.FromResult(++reads * 10), v => v >= 30, "the third read");

        Assert.Equal(30, value);
    }

    [Fact]
    public async Task A_read_that_throws_ends_the_wait_with_its_exception()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Eventually.True((Func<bool>)(() => throw new InvalidOperationException("the process exited")), "never"));
    }
}
