using System.Collections.Concurrent;
using Failover.Runtime.Grains;
using Failover.Runtime.Tests.Infrastructure;

namespace Failover.Runtime.Tests.Grains;

public interface IReminderGrain : IGrainWithStringKey
{
    Task Register(string name, TimeSpan dueTime, TimeSpan period);

    Task Unregister(string name);

    Task<IReadOnlyList<string>> List();
}

public sealed class ReminderGrain(GrainEventLog events) : Grain, IReminderGrain, IRemindable
{
    /// <summary>Every tick of every silo in this process, for the tests to inspect: (grain key, reminder, status).</summary>
    public static readonly ConcurrentQueue<(string Key, string Name, TickStatus Status, DateTime ReceivedAt)> Ticks = new();

    public async Task Register(string name, TimeSpan dueTime, TimeSpan period) =>
        await RegisterOrUpdateReminder(name, dueTime, period);

    public async Task Unregister(string name)
    {
        var reminder = await GetReminder(name) ?? throw new InvalidOperationException($"no reminder {name}");
        await UnregisterReminder(reminder);
    }

    public async Task<IReadOnlyList<string>> List() => [.. (await GetReminders()).Select(r => r.ReminderName)];

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.Enqueue((GetPrimaryKeyString(), reminderName, status, DateTime.UtcNow));
        events.Add($"tick:{GetPrimaryKeyString()}:{reminderName}");
        return Task.CompletedTask;
    }
}
