using System.Net;
using Failover.Hosting.Storage;
using Failover.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Failover.Hosting.Clients;

public static class FailoverClientBuilderExtensions
{
    /// <summary>How long a client call may take before it fails with a TimeoutException (Orleans' default is 30 s).</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connects an Orleans client to the Failover cluster <paramref name="clusterId"/> whose silos write their
    /// gateways into the membership table at <paramref name="database"/> (Orleans' ADO.NET gateway list).
    /// </summary>
    public static IClientBuilder UseFailoverCluster(this IClientBuilder client, DatabaseLocation database, string clusterId, string serviceId = "default")
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(database);
        client.Services.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = clusterId;
            options.ServiceId = serviceId;
        });
        client.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetConnection.Invariant(database);
            options.ConnectionString = AdoNetConnection.ConnectionString(database);
        });
        return client.WithFailoverTimeouts();
    }

    /// <summary>Connects an Orleans client to the Failover cluster <paramref name="clusterId"/> through these gateways only.</summary>
    public static IClientBuilder UseFailoverCluster(this IClientBuilder client, IReadOnlyList<IPEndPoint> gateways, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(gateways);
        client.Services.Configure<ClusterOptions>(options => options.ClusterId = clusterId);
        client.UseStaticClustering([.. gateways]);
        return client.WithFailoverTimeouts();
    }

    private static IClientBuilder WithFailoverTimeouts(this IClientBuilder client)
    {
        client.Services.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        client.Services.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = ResponseTimeout);
        return client;
    }
}
