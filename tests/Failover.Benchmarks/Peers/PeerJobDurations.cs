namespace Failover.Benchmarks.Peers;

/// <summary>How long each <see cref="PeerJobKind"/> runs after recording its start; the same on every system.</summary>
internal static class PeerJobDurations
{
    public static readonly TimeSpan Short = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    public static TimeSpan Of(PeerJobKind kind) => kind switch
    {
        PeerJobKind.Noop => TimeSpan.Zero,
        PeerJobKind.Short => Short,
        PeerJobKind.Long => Long,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
