using Failover.Runtime.Activation;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Hosting;

/// <summary>What the silo reports about itself on its health endpoint.</summary>
public sealed class SiloHealth
{
    private readonly LocalSilo _silo;
    private readonly MembershipAgent _membership;
    private readonly Catalog _catalog;

    internal SiloHealth(LocalSilo silo, MembershipAgent membership, Catalog catalog)
    {
        _silo = silo;
        _membership = membership;
        _catalog = catalog;
    }

    public SiloHealthReport Report() => new(
        _silo.NodeName, _silo.Address.ToString(), _silo.ClusterId, _membership.Status.ToString(), _catalog.ActivationCount);
}

public sealed record SiloHealthReport(string Node, string SiloAddress, string ClusterId, string Status, int Activations);
