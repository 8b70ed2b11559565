using Failover.Runtime.Activation;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Hosting;

/// <summary>What the silo reports about itself on its health endpoint.</summary>
public sealed class SiloHealth
{
    private readonly LocalSilo _silo;
    private readonly MembershipAgent _membership;
    private readonly Catalog _catalog;
    private readonly LeaseGate _lease;

    internal SiloHealth(LocalSilo silo, MembershipAgent membership, Catalog catalog, LeaseGate lease)
    {
        _silo = silo;
        _membership = membership;
        _catalog = catalog;
        _lease = lease;
    }

    /// <summary>
    /// Whether this silo may act now: Active and its lease renewed within LeaseTimeout. Agents that act on behalf of
    /// the cluster (an active director, a failover agent) stop when this turns false.
    /// </summary>
    public bool HoldsLease => _membership.Status == SiloStatus.Active && _lease.IsValid;

    public SiloHealthReport Report() => new(
        _silo.NodeName, _silo.Address.ToString(), _silo.ClusterId, _membership.Status.ToString(), _catalog.ActivationCount);
}

public sealed record SiloHealthReport(string Node, string SiloAddress, string ClusterId, string Status, int Activations);
