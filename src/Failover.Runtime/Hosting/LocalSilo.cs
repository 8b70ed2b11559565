using Failover.Runtime.Configuration;
using Failover.Runtime.Membership;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Hosting;

/// <summary>Who this silo is: its node name, its address with this incarnation's generation, its cluster.</summary>
public sealed class LocalSilo
{
    public LocalSilo(IOptions<SiloOptions> options, TimeProvider timeProvider)
    {
        var silo = options.Value;
        NodeName = silo.Node;
        HostName = Environment.MachineName;
        ClusterId = silo.ClusterId;
        ServiceId = silo.ServiceId;
        Address = new SiloAddress(silo.Host, silo.Port, SiloAddress.NewGeneration(timeProvider));
    }

    public string NodeName { get; }

    public string HostName { get; }

    public string ClusterId { get; }

    public string ServiceId { get; }

    public SiloAddress Address { get; private set; }

    /// <summary>
    /// Generations are whole seconds, so a silo restarted within the same second would reuse its predecessor's
    /// address. Before joining, the membership agent moves past every generation the table already holds.
    /// </summary>
    internal void EnsureGenerationAbove(int generation)
    {
        if (Address.Generation <= generation)
        {
            Address = Address with { Generation = generation + 1 };
        }
    }
}
