namespace Failover.Runtime.Grains;

/// <summary>An in-memory grain timer. Ticks run as turns of the activation; disposed with it.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Re-arms the timer. <see cref="Timeout.InfiniteTimeSpan"/> as period = one tick only.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
