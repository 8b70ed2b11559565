namespace Failover.Runtime.Membership.Protocol;

/// <summary>The probe history of one target: consecutive misses and whether the last miss was a refused connection.</summary>
public sealed record ProbeRecord(int ConsecutiveFailures, bool LastFailureRefused)
{
    public static readonly ProbeRecord Healthy = new(0, false);

    public ProbeRecord Failed(bool refused) => new(ConsecutiveFailures + 1, refused);

    /// <summary>A refused connection is a definite failure at once: nothing listens on that port any more.</summary>
    public bool IsSuspect(int missedProbesLimit) => LastFailureRefused || ConsecutiveFailures >= missedProbesLimit;

    public string Describe() => LastFailureRefused
        ? $"connection refused ({ConsecutiveFailures} failed probes in a row)"
        : $"{ConsecutiveFailures} missed probes in a row";
}
