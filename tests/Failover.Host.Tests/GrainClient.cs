using System.Net;
using Failover.Hosting.Clients;
using Failover.Storage;

namespace Failover.Host.Tests;

/// <summary>
/// An Orleans client of a test cluster, in the test process: either through one gateway only (grains it activates with
/// local placement are placed on that silo), or through the gateways the membership table lists, as the client program
/// connects. Disposing it disconnects.
/// </summary>
public sealed class GrainClient : IAsyncDisposable
{
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(30);

    private readonly FailoverClient _client;

    private GrainClient(FailoverClient client)
    {
        _client = client;
    }

    public IClusterClient Grains => _client.Grains;

    public TGrain GetGrain<TGrain>(string key)
        where TGrain : IGrainWithStringKey => _client.GetGrain<TGrain>(key);

    /// <summary>A client whose only gateway is <paramref name="gateway"/> (a silo's gateway port).</summary>
    /// <param name="connectTimeout">How long it may take to connect (30 s when null).</param>
    public static async Task<GrainClient> ConnectAsync(string clusterId, IPEndPoint gateway, TimeSpan? connectTimeout = null)
    {
        using var timeout = new CancellationTokenSource(connectTimeout ?? s_connectTimeout);
        return new GrainClient(await FailoverClient.ConnectAsync([gateway], clusterId, timeout.Token));
    }

    /// <summary>A client that finds its gateways (Active silos) in the membership table, like the client program.</summary>
    public static async Task<GrainClient> ConnectAsync(string clusterId, string database)
    {
        using var timeout = new CancellationTokenSource(s_connectTimeout);
        return new GrainClient(await FailoverClient.ConnectAsync(DatabaseLocation.Parse(database), clusterId, timeout.Token));
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
