using Orleans;
using Orleans.Runtime;

namespace Failover.Hosting.Leases;

/// <summary>
/// Grain timers whose ticks run only while this silo holds its node lease. A tick that finds the lease lapsed waits for
/// it up to one lease timeout, then is skipped, and the timer goes on. (The lease call filter must not refuse a tick
/// instead: Orleans schedules a timer's next tick when its callback returns, so a tick refused before the callback stops
/// the timer for good.)
/// </summary>
public static class LeasedTimers
{
    public static IGrainTimer RegisterLeasedTimer(
        this IGrainBase grain, NodeLease lease, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(callback);
        return grain.RegisterGrainTimer(
            async cancellationToken =>
            {
                if (lease.IsHeld || await lease.WaitUntilHeldAsync(lease.Timeout, cancellationToken))
                {
                    await callback(cancellationToken);
                }
            },
            options);
    }

    public static IGrainTimer RegisterLeasedTimer(
        this IGrainBase grain, NodeLease lease, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        grain.RegisterLeasedTimer(lease, callback, new GrainTimerCreationOptions(dueTime, period));
}
