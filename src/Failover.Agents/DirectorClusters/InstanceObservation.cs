namespace Failover.Agents.DirectorClusters;

/// <summary>
/// What the witness last heard from one director instance. Volatile: a re-activated witness starts without it.
/// <see cref="Gone"/> marks an incarnation that stopped or whose silo is Dead; it is never heard again.
/// <see cref="Lease"/> is the longest lease the witness granted it, so a shorter timeout applied later cannot cut it.
/// </summary>
public sealed record InstanceObservation(string Incarnation, TimeSpan LastHeard, long KnownEpoch, DirectorRole Acting, bool Gone = false)
{
    public TimeSpan Lease { get; init; }
}
