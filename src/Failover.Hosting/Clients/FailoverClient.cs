using System.Net;
using Failover.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Hosting.Clients;

/// <summary>A started Orleans client of a Failover cluster, for one command-line run; disposing it disconnects.</summary>
public sealed class FailoverClient : IAsyncDisposable
{
    private readonly IHost _host;

    private FailoverClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Grains { get; }

    public TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey => Grains.GetGrain<TGrain>(key);

    /// <summary>
    /// Connects through the gateways the membership table lists. Fails with <see cref="ClusterUnavailableException"/>
    /// (one line) when none answers.
    /// </summary>
    public static Task<FailoverClient> ConnectAsync(DatabaseLocation database, string clusterId, CancellationToken cancellationToken) =>
        ConnectAsync(client => client.UseFailoverCluster(database, clusterId), $"the gateways listed in {database}", clusterId, cancellationToken);

    /// <summary>Connects through these gateways only (a test that wants its grains placed on one silo, say).</summary>
    public static Task<FailoverClient> ConnectAsync(IReadOnlyList<IPEndPoint> gateways, string clusterId, CancellationToken cancellationToken) =>
        ConnectAsync(
            client => client.UseFailoverCluster(gateways, clusterId),
            $"gateway {string.Join(", ", gateways)}",
            clusterId,
            cancellationToken);

    private static async Task<FailoverClient> ConnectAsync(Action<IClientBuilder> configure, string through, string clusterId, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(configure);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
            return new FailoverClient(host);
        }
        catch (Exception exception)
        {
            // Cancelled or failed, the client must not go on trying to connect in the background.
            host.Dispose();
            if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new ClusterUnavailableException($"cannot reach cluster '{clusterId}' through {through}: {OneLine(exception)}", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(CancellationToken.None);
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static string OneLine(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is { } inner && innermost is AggregateException or OrleansException)
        {
            innermost = inner;
        }

        return string.Join(' ', innermost.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}

/// <summary>No gateway of the cluster could be reached.</summary>
public sealed class ClusterUnavailableException : Exception
{
    public ClusterUnavailableException(string message) : base(message)
    {
    }

    public ClusterUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ClusterUnavailableException()
    {
    }
}
