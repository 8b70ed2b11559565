using System.Collections.Concurrent;
using Failover.Agents.Topology;
using Failover.Hosting;

namespace Failover.Agents.DirectorClusters;

/// <summary>
/// The director roles this silo holds, for whatever acts on behalf of an active director (dispatching, file watches).
/// An instance acts only while its lease from the witness is valid and the silo holds its own membership lease.
/// </summary>
public sealed class DirectorRoles(SiloHealth health, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, (DirectorInstance Instance, DirectorLease Lease)> _held = new(StringComparer.Ordinal);

    /// <summary>The agent clusters whose director on this silo acts as active now, with the lead to hand to their dispatchers.</summary>
    public IReadOnlyList<(string Agent, long Epoch, DirectorClusterState? State, TimeSpan Remaining)> Acting()
    {
        var acting = new List<(string, long, DirectorClusterState?, TimeSpan)>();
        if (!health.HoldsLease)
        {
            return acting;
        }

        var now = MonotonicClock.Now(timeProvider);
        foreach (var (agent, held) in _held)
        {
            lock (held.Lease)
            {
                if (held.Lease.IsActing(now))
                {
                    acting.Add((agent, held.Lease.Epoch, held.Lease.ClusterState, held.Lease.Remaining(now)));
                }
            }
        }

        return acting;
    }

    /// <summary>
    /// The lead this silo's director of <paramref name="agentId"/> can hand on now: its epoch, the cluster state and what
    /// is left of its lease at this moment; null when it does not act.
    /// </summary>
    public (long Epoch, DirectorClusterState? State, TimeSpan Remaining)? LeadOf(string agentId)
    {
        if (!_held.TryGetValue(agentId, out var held) || !health.HoldsLease)
        {
            return null;
        }

        var now = MonotonicClock.Now(timeProvider);
        lock (held.Lease)
        {
            return held.Lease.IsActing(now) ? (held.Lease.Epoch, held.Lease.ClusterState, held.Lease.Remaining(now)) : null;
        }
    }

    internal void Hold(string agentId, DirectorInstance instance, DirectorLease lease) => _held[agentId] = (instance, lease);

    internal void Release(string agentId) => _held.TryRemove(agentId, out _);
}
