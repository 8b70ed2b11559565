using System.Net;
using Failover.Hosting.Clients;
using Failover.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Failover.Host.Tests;

/// <summary>
/// An Orleans client of a test cluster, in the test process: either through one gateway only (grains it activates with
/// local placement are placed on that silo), or through the gateways the membership table lists, as the client program
/// connects. Disposing it disconnects.
/// </summary>
public sealed class GrainClient : IAsyncDisposable
{
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost? _host;
    private readonly FailoverClient? _failoverClient;

    private GrainClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    private GrainClient(FailoverClient client)
    {
        _failoverClient = client;
        Grains = client.Grains;
    }

    public IClusterClient Grains { get; }

    public TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey => Grains.GetGrain<TGrain>(key);

    /// <summary>A client whose only gateway is <paramref name="gateway"/> (a silo's gateway port).</summary>
    /// <param name="connectTimeout">How long it may take to connect (30 s when null).</param>
    public static async Task<GrainClient> ConnectAsync(string clusterId, IPEndPoint gateway, TimeSpan? connectTimeout = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.UseOrleansClient(client =>
        {
            client.Services.Configure<ClusterOptions>(options => options.ClusterId = clusterId);
            client.UseStaticClustering(gateway);
            client.Services.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = FailoverClientBuilderExtensions.ResponseTimeout);
        });
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(connectTimeout ?? s_connectTimeout);
            await host.StartAsync(timeout.Token);
            return new GrainClient(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>A client that finds its gateways (Active silos) in the membership table, like the client program.</summary>
    public static async Task<GrainClient> ConnectAsync(string clusterId, string database)
    {
        using var timeout = new CancellationTokenSource(s_connectTimeout);
        return new GrainClient(await FailoverClient.ConnectAsync(DatabaseLocation.Parse(database), clusterId, timeout.Token));
    }

    public async ValueTask DisposeAsync()
    {
        if (_failoverClient is not null)
        {
            await _failoverClient.DisposeAsync();
        }

        if (_host is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(s_connectTimeout);
                await _host.StopAsync(timeout.Token);
            }
            finally
            {
                _host.Dispose();
            }
        }
    }
}
