namespace Failover.Runtime.Grains;

/// <summary>How a grain timer ticks.</summary>
public sealed record GrainTimerCreationOptions(TimeSpan DueTime, TimeSpan Period)
{
    /// <summary>
    /// Whether a tick of a [Reentrant] grain may interleave with its requests, like a request does. Otherwise a tick
    /// waits until no request is in progress and holds back the requests behind it until it ends.
    /// </summary>
    public bool Interleave { get; init; }
}
