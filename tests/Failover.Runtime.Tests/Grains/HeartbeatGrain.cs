using Failover.Runtime.Grains;
using Failover.Runtime.Tests.Infrastructure;

namespace Failover.Runtime.Tests.Grains;

public interface IHeartbeatGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);
}

/// <summary>Notes every timer tick in the silo's event log, so a test can watch turns run without calling the grain.</summary>
public sealed class HeartbeatGrain(GrainEventLog events) : Grain, IHeartbeatGrain
{
    public Task Start(TimeSpan period)
    {
        RegisterGrainTimer(_ =>
        {
            events.Add($"beat:{GetPrimaryKeyString()}");
            return Task.CompletedTask;
        }, period, period);
        return Task.CompletedTask;
    }
}
