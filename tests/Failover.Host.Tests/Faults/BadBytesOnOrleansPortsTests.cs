using System.Text;
using Failover.TestHost;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// Bad input on the wire (invariant 5) now meets Orleans' own transport: whatever arrives on a silo's silo port or
/// gateway port instead of an Orleans connection preamble, and a client of another cluster, is refused on that
/// connection only. The silo stays Active and goes on serving.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class BadBytesOnOrleansPortsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task Garbage_and_a_client_of_another_cluster_close_that_connection_only(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a"]);
        var silo = cluster["node-a"];
        var garbage = Encoding.UTF8.GetBytes("\u0001 this is not an Orleans preamble at all \u00ff");

        foreach (var (port, name) in new[] { (silo.Ports.Silo, "silo port"), (silo.Ports.Gateway, "gateway port") })
        {
            // (a) Text where the preamble belongs: its first four bytes read as a length far above Orleans' 1024.
            await ExpectClosedAsync(cluster, port, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: silo\r\n\r\n"), $"an HTTP request on the {name}");

            // (b) A plausible length, then bytes that are no serialized preamble.
            await ExpectClosedAsync(cluster, port, RawConnection.Preamble(garbage.Length, garbage), $"a garbage preamble on the {name}");

            // (c) A length above the maximum, nothing else.
            await ExpectClosedAsync(cluster, port, RawConnection.Preamble(64 * 1024 * 1024, []), $"an oversized preamble length on the {name}");

            // (d) A preamble announced, the connection dropped half-way: the silo must not wait on it for ever or fall over.
            await using (var connection = await RawConnection.OpenAsync(port))
            {
                await connection.SendAsync(RawConnection.Preamble(1000, garbage));
            }
        }

        // (e) A well-formed Orleans client of another cluster: the gateway refuses its connection (Orleans checks the
        // cluster id of the preamble), so it never connects; it would try again for ever, the test gives it 5 s.
        var refused = await Record.ExceptionAsync(async () =>
        {
            await using var stranger = await GrainClient.ConnectAsync("not-this-cluster", silo.GatewayEndPoint, TimeSpan.FromSeconds(5));
            await stranger.GetGrain<ILocatorGrain>("stranger").Where();
        });
        Assert.NotNull(refused);
        output.WriteLine($"a client of another cluster: {refused.GetType().Name}: {refused.Message}");

        await using (var client = await cluster.ConnectClientAsync(silo))
        {
            Assert.Equal("node-a", await client.GetGrain<ILocatorGrain>("after-bad-bytes").Where());
        }

        Assert.False(silo.HasExited);
        Assert.Equal(SiloStatus.Active, (await cluster.FindAsync("node-a"))!.Status);
        Assert.DoesNotContain("fatal", silo.Log, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task ExpectClosedAsync(ProcessCluster cluster, int port, byte[] bytes, string what)
    {
        await using var connection = await RawConnection.OpenAsync(port);
        await connection.SendAsync(bytes);
        Assert.True(await connection.IsClosedBySiloAsync(), $"the silo closes a connection that sends {what}\n{cluster.Logs()}");
    }
}
