using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Failover.Hosting;

/// <summary>Who this silo is: its node name (Orleans' silo name), its address with this incarnation's generation, its cluster.</summary>
public sealed class LocalSilo(ILocalSiloDetails details, IOptions<ClusterOptions> cluster)
{
    public string NodeName => details.Name;

    public string HostName => details.DnsHostName;

    public string ClusterId => cluster.Value.ClusterId;

    public string ServiceId => cluster.Value.ServiceId;

    public SiloAddress Address => details.SiloAddress;

    /// <summary>This incarnation as written in heartbeats and records: <c>ip:port@generation</c>, as Orleans parses it.</summary>
    public string Incarnation => details.SiloAddress.ToParsableString();
}
