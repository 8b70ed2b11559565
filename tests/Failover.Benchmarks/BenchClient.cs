using System.Net;
using Failover.Hosting.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Failover.Benchmarks;

/// <summary>
/// An Orleans client in this process whose only gateways are the ones given (static list, not the membership table):
/// a benchmark decides which silos a client's calls enter the cluster through — e.g. only survivors of a kill, so no
/// call waits on a killed gateway. Its response timeout is the product client's unless told otherwise.
/// </summary>
internal sealed class BenchClient : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Grains { get; }

    public static async Task<BenchClient> ConnectAsync(
        SiloProcessCluster cluster, IEnumerable<SiloProcess> gateways, CancellationToken cancellationToken, TimeSpan? responseTimeout = null)
    {
        IPEndPoint[] endpoints = [.. gateways.Select(g => g.Gateway)];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(endpoints);
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = responseTimeout ?? FailoverClientBuilderExtensions.ResponseTimeout);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new BenchClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
