using Failover.Hosting.Leases;
using Orleans.Runtime;

namespace Failover.Hosting;

/// <summary>Whether this silo may act for the cluster now, and what it reports about itself.</summary>
public sealed class SiloHealth(LocalSilo silo, ISiloStatusOracle status, NodeLease lease)
{
    /// <summary>
    /// Active in Orleans' membership and holding the node lease. Agents that act on behalf of the cluster (an active
    /// director, a subagent starting jobs, a failover agent) stop while this is false.
    /// </summary>
    public bool HoldsLease => status.CurrentStatus == SiloStatus.Active && lease.IsHeld;

    public SiloHealthReport Report() => new(silo.NodeName, silo.Incarnation, silo.ClusterId, status.CurrentStatus.ToString(), lease.IsHeld);
}

public sealed record SiloHealthReport(string Node, string SiloAddress, string ClusterId, string Status, bool HoldsLease);
