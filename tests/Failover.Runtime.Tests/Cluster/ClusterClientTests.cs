using System.Net;
using Failover.Runtime.Client;
using Failover.Runtime.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Failover.Testing;

namespace Failover.Runtime.Tests.Cluster;

public sealed class ClusterClientTests
{
    [Fact]
    public async Task Connecting_when_no_gateway_answers_fails_with_one_clear_reason()
    {
        var closed = new IPEndPoint(IPAddress.Loopback, FreePorts.Next());

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            ClusterClient.ConnectAsync(new ClusterClientOptions { Gateways = [closed] }));

        Assert.Contains("could be reached", error.Message, StringComparison.Ordinal);
        Assert.Contains(closed.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connecting_to_a_cluster_with_no_Active_silo_says_so()
    {
        using var database = new TempDatabase();
        await using (var db = Failover.Runtime.Storage.ClusterDatabase.Open(database.Location))
        {
            await db.ApplySchemaAsync(CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() =>
            ClusterClient.ConnectAsync(new ClusterClientOptions { Database = database.Location, ClusterId = "empty" }));

        Assert.Contains("No gateway is available in cluster 'empty'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_with_neither_gateways_nor_a_database_is_refused()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ClusterClient.ConnectAsync(new ClusterClientOptions()));

        Assert.Contains("either Gateways or a Database", error.Message, StringComparison.Ordinal);
    }
}
