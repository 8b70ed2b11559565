using System.Net;
using Failover.Runtime.Membership;
using Failover.Runtime.Storage;

namespace Failover.Runtime.Client;

/// <summary>The gateways a client may use: a fixed list, or the Active silos with a proxy port in the membership table.</summary>
internal sealed class GatewayList(ClusterClientOptions options) : IAsyncDisposable
{
    private IClusterDatabase? _database;

    public async Task<IReadOnlyList<IPEndPoint>> GetAsync(CancellationToken cancellationToken)
    {
        if (options.Gateways.Count > 0)
        {
            return Shuffle(options.Gateways);
        }

        if (options.Database is null)
        {
            throw new InvalidOperationException("A cluster client needs either Gateways or a Database to find gateways in.");
        }

        _database ??= ClusterDatabase.Open(options.Database);
        var snapshot = await _database.CreateMembershipTable(options.ClusterId).ReadAllAsync(cancellationToken);
        var gateways = snapshot.Entries
            .Where(e => e.Status == SiloStatus.Active && e.ProxyPort > 0)
            .Select(e => new IPEndPoint(IPAddress.Parse(e.Address.Host), e.ProxyPort))
            .ToList();
        return Shuffle(gateways);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private static IPEndPoint[] Shuffle(IReadOnlyList<IPEndPoint> gateways)
    {
        var shuffled = gateways.ToArray();
        Random.Shared.Shuffle(shuffled);
        return shuffled;
    }
}
