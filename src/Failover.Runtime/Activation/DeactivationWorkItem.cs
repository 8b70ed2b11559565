using Failover.Runtime.Grains;

namespace Failover.Runtime.Activation;

internal sealed class DeactivationWorkItem(DeactivationReason reason) : WorkItem
{
    public override Task RunAsync(GrainActivation activation) => activation.DeactivateAsync(reason);

    // An activation that never became valid has nothing to deactivate.
    public override void Reject(Exception reason)
    {
    }
}
