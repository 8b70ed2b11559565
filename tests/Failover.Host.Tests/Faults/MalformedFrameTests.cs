using System.Text;
using System.Text.Json;
using Failover.Storage.Membership;
using Failover.TestHost;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// Bad input on the wire (invariant 5): the silo closes only the offending connection, logs why, and goes on serving.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class MalformedFrameTests(ITestOutputHelper output)
{
    private const int MaxFrameBytes = 4 * 1024 * 1024;

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task Bad_frames_and_a_wrong_cluster_id_close_that_connection_only(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a"]);
        var silo = cluster["node-a"];
        var garbage = Encoding.UTF8.GetBytes("\u0001 this is not JSON at all \u00ff");

        // (a) Garbage after a valid length prefix, where the handshake belongs.
        await ExpectRejectedAsync(cluster, RawConnection.Frame(garbage), "Rejected connection from {0}: malformed handshake JSON");

        // (b) A length above Messaging:MaxFrameBytes: refused from the header alone, nothing else is sent.
        await ExpectRejectedAsync(
            cluster, RawConnection.Header(MaxFrameBytes + 1), $"Rejected connection from {{0}}: frame length {MaxFrameBytes + 1} exceeds the maximum of {MaxFrameBytes} bytes");

        // (c) A well-formed handshake for another cluster.
        await ExpectRejectedAsync(
            cluster,
            RawConnection.Frame(RawConnection.ClientHandshake("not-this-cluster", "raw-wrong-cluster")),
            $"Rejected connection from {{0}}: cluster id 'not-this-cluster' is not this cluster's ('{database.ClusterId}')");

        // (d) A good handshake, answered, then a garbage message frame on the established connection.
        await using (var connection = await RawConnection.OpenAsync(silo.Port))
        {
            await connection.SendAsync(RawConnection.Frame(RawConnection.ClientHandshake(database.ClusterId, "raw-garbage")));
            using var reply = JsonDocument.Parse(await connection.ReadFrameAsync());
            Assert.Equal(database.ClusterId, reply.RootElement.GetProperty("ClusterId").GetString());
            Assert.Equal((await cluster.FindAsync("node-a"))!.Address.ToString(), reply.RootElement.GetProperty("SiloAddress").GetString());

            await connection.SendAsync(RawConnection.Frame(garbage));
            Assert.True(await connection.IsClosedBySiloAsync(), "the silo closes a connection that sends a malformed message");
            var reason = $"Closing connection with client raw-garbage ({connection.LocalEndPoint}): protocol violation: malformed message JSON";
            await cluster.WaitUntilAsync(() => Task.FromResult(silo.Log.Contains(reason, StringComparison.Ordinal)), $"the silo logs '{reason}'");
        }

        // (e) The same oversized length on an established connection.
        await using (var connection = await RawConnection.OpenAsync(silo.Port))
        {
            await connection.SendAsync(RawConnection.Frame(RawConnection.ClientHandshake(database.ClusterId, "raw-oversized")));
            await connection.ReadFrameAsync();

            await connection.SendAsync(RawConnection.Header(MaxFrameBytes + 1));
            Assert.True(await connection.IsClosedBySiloAsync(), "the silo closes a connection that announces an oversized frame");
            var reason = $"Closing connection with client raw-oversized ({connection.LocalEndPoint}): protocol violation: frame length {MaxFrameBytes + 1} exceeds";
            await cluster.WaitUntilAsync(() => Task.FromResult(silo.Log.Contains(reason, StringComparison.Ordinal)), $"the silo logs '{reason}'");
        }

        await using (var client = await cluster.ConnectClientAsync(silo))
        {
            Assert.Equal("node-a", await client.GetGrain<ILocatorGrain>("after-bad-frames").Where());
        }

        Assert.False(silo.HasExited);
        Assert.Equal(SiloStatus.Active, (await cluster.FindAsync("node-a"))!.Status);
    }

    /// <param name="reasonFormat">The expected log text; <c>{0}</c> stands for this connection's local endpoint.</param>
    private static async Task ExpectRejectedAsync(ProcessCluster cluster, byte[] bytes, string reasonFormat)
    {
        var silo = cluster["node-a"];
        await using var connection = await RawConnection.OpenAsync(silo.Port);
        await connection.SendAsync(bytes);

        Assert.True(await connection.IsClosedBySiloAsync(), $"the silo closes the connection ({reasonFormat})");
        var reason = string.Format(System.Globalization.CultureInfo.InvariantCulture, reasonFormat, connection.LocalEndPoint);
        await cluster.WaitUntilAsync(() => Task.FromResult(silo.Log.Contains(reason, StringComparison.Ordinal)), $"the silo logs '{reason}'");
    }
}
