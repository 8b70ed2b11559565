namespace Failover.Runtime.Activation;

/// <summary>Something an activation runs as one turn: a request, a timer tick, a deactivation.</summary>
internal abstract class WorkItem
{
    /// <summary>Whether it may interleave with other turns of a reentrant activation.</summary>
    public virtual bool MayInterleave => false;

    public abstract Task RunAsync(GrainActivation activation);

    /// <summary>Called instead of <see cref="RunAsync"/> when it can never run (activation failed, silo stopping).</summary>
    public abstract void Reject(Exception reason);
}
