using Failover.Runtime.Activation;

namespace Failover.Runtime.Timers;

internal sealed class TimerTickWorkItem(GrainTimer timer) : WorkItem
{
    public override bool MayInterleave => timer.Interleave;

    public override Task RunAsync(GrainActivation activation) => timer.TickAsync();

    // A tick for an activation that is gone is simply dropped: the timer died with it.
    public override void Reject(Exception reason)
    {
    }
}
