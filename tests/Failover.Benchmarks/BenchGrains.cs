using System.Collections.Concurrent;
using Failover.Storage.Grains;

namespace Failover.Benchmarks;

public interface IPingGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);
}

public sealed class PingGrain : Grain, IPingGrain
{
    private int _calls;

    public Task<int> Ping(int value) => Task.FromResult(value + ++_calls - _calls);
}

public interface ITickGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task Stop();
}

/// <summary>Records, for each reminder tick, how late it arrived after its scheduled time.</summary>
public sealed class TickGrain : Grain, ITickGrain, IRemindable
{
    public static readonly ConcurrentQueue<(double LatenessMs, int Missed)> Ticks = new();

    public async Task Start(TimeSpan period) => await RegisterOrUpdateReminder("tick", period, period);

    public async Task Stop()
    {
        if (await GetReminder("tick") is { } reminder)
        {
            await UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.Enqueue(((DateTime.UtcNow - status.CurrentTickTime).TotalMilliseconds, status.MissedTicks));
        return Task.CompletedTask;
    }
}
