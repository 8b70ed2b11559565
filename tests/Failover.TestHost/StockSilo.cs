using System.Net;
using Failover.Hosting.Storage;
using Failover.Storage;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Failover.TestHost;

/// <summary>
/// An Orleans silo as any stock Orleans program would configure it with the official ADO.NET clustering provider on
/// the cluster's database: none of Failover's additions. Operators' tools must still show it.
/// </summary>
internal static class StockSilo
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        var database = DatabaseLocation.Parse(configuration["Database"] ?? DatabaseLocation.Default);
        var port = int.Parse(configuration["Port"] ?? "11111", System.Globalization.CultureInfo.InvariantCulture);
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = configuration["ClusterId"] ?? "default";
            options.ServiceId = configuration["ServiceId"] ?? "default";
        });
        silo.Configure<SiloOptions>(options => options.SiloName = configuration["Node"] ?? "stock");
        silo.ConfigureEndpoints(IPAddress.Loopback, port, int.Parse(configuration["GatewayPort"] ?? $"{port + 1}", System.Globalization.CultureInfo.InvariantCulture));
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetConnection.Invariant(database);
            options.ConnectionString = AdoNetConnection.ConnectionString(database);
        });
    }
}
