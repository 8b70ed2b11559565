using Orleans;
using Orleans.Runtime;

namespace Failover.Hosting.Leases;

/// <summary>Grain timers whose ticks run only while this silo holds its node lease (a tick during a lapse is skipped).</summary>
public static class LeasedTimers
{
    public static IGrainTimer RegisterLeasedTimer(this IGrainBase grain, NodeLease lease, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(callback);
        return grain.RegisterGrainTimer(cancellationToken => lease.IsHeld ? callback(cancellationToken) : Task.CompletedTask, options);
    }

    public static IGrainTimer RegisterLeasedTimer(this IGrainBase grain, NodeLease lease, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        grain.RegisterLeasedTimer(lease, callback, new GrainTimerCreationOptions(dueTime, period));
}
