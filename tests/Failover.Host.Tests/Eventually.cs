namespace Failover.Host.Tests;

/// <summary>Polls a condition until it holds or a generous deadline passes.</summary>
public static class Eventually
{
    public static async Task True(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}.");
            }

            await Task.Delay(50);
        }
    }
}
