namespace Failover.Benchmarks;

internal static class Poll
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(25);

    /// <summary>Re-checks <paramref name="condition"/> until it holds; a <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(
        Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition(cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting until {what}");
            }

            await Task.Delay(interval ?? s_interval, cancellationToken);
        }
    }
}
