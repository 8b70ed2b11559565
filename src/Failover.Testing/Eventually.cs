namespace Failover.Testing;

/// <summary>Polls a condition until it holds or a generous deadline passes: the only way tests wait.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(20);

    /// <param name="details">Called only on timeout, for what the failure message should add (e.g. process logs).</param>
    /// <exception cref="TimeoutException">The condition did not hold before the deadline.</exception>
    public static async Task True(Func<Task<bool>> condition, string because, TimeSpan? timeout = null, Func<string>? details = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {because}.{(details is null ? "" : "\n" + details())}");
            }

            await Task.Delay(s_pollInterval);
        }
    }

    public static Task True(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        True(() => Task.FromResult(condition()), because, timeout);
}
