namespace Failover.Runtime.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a generous deadline passes: the only way tests wait.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task True(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(20);
        }
    }

    public static Task True(Func<bool> condition, string because, TimeSpan? timeout = null) =>
        True(() => Task.FromResult(condition()), because, timeout);
}
