using System.Text;
using Failover.TestHost;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// Bad input on the wire (invariant 5): whatever arrives on Orleans' silo and gateway ports — bytes that are no Orleans
/// preamble, an absurd length, a half-sent frame — costs the sender its connection only; the silo stays Active and
/// goes on serving.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class MalformedFrameTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task Garbage_on_the_silo_and_gateway_ports_closes_that_connection_only(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a"]);
        var silo = cluster["node-a"];
        var garbage = Encoding.UTF8.GetBytes("\u0001 this is not an Orleans preamble at all \u00ff");

        foreach (var port in new[] { silo.Port, silo.GatewayPort })
        {
            // Garbage after a plausible length prefix, where the preamble belongs.
            await ExpectClosedAsync(port, RawConnection.Frame(garbage));
            // A length prefix far beyond any frame Orleans accepts, and nothing after it.
            await ExpectClosedAsync(port, RawConnection.Header(uint.MaxValue));
            // Bytes without any framing at all.
            await ExpectClosedAsync(port, [.. Enumerable.Repeat((byte)0xFF, 64 * 1024)]);
        }

        await using (var client = await cluster.ConnectClientAsync(silo))
        {
            Assert.Equal("node-a", await client.GetGrain<ILocatorGrain>("after-bad-frames").Where());
        }

        Assert.False(silo.HasExited);
        Assert.Equal(SiloStatus.Active, (await cluster.FindAsync("node-a"))!.Status);
    }

    private static async Task ExpectClosedAsync(int port, byte[] bytes)
    {
        await using var connection = await RawConnection.OpenAsync(port);
        try
        {
            await connection.SendAsync(bytes);
        }
        catch (IOException)
        {
            // The silo closed it while the bytes were still going out: what this test expects anyway.
            return;
        }

        Assert.True(await connection.IsClosedBySiloAsync(), $"the silo closes a connection on port {port} that sent {bytes.Length} bad bytes");
    }
}
