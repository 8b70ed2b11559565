using System.Net;
using Failover.Testing;
using Failover.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// A client that sends requests and never reads the responses (issue 12): a real Orleans client behind a proxy that stops
/// reading what the silo sends. The silo must not hold its unread responses without bound: it stops reading the client's
/// requests, closes the connection once it has been stalled for <c>GatewayConnections:StallTimeout</c>, and goes on serving.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class NonReadingClientTests(ITestOutputHelper output)
{
    /// <summary>Each request and its echo: 64 KiB on the wire.</summary>
    private const int TextLength = 64 * 1024;

    /// <summary>512 MiB of requests, every one answered by as large a response.</summary>
    private const int Requests = 8 * 1024;

    /// <summary>
    /// What the silo may grow by. Unbounded, it holds every response it cannot send: the whole 512 MiB. Bounded, it holds
    /// at most one largest Orleans message of unread requests (110 MiB by Orleans' defaults; these stop at far less, as
    /// the client's socket and the proxy hold the rest), the responses already in the sockets and its 64 KiB buffer, and the
    /// garbage of the requests it did read.
    /// </summary>
    private const long AllowedGrowth = 256L * 1024 * 1024;

    private const string StallTimeout = "00:00:03";

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task A_client_that_never_reads_is_held_back_then_disconnected_and_the_silo_stays_small(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a"], $"GatewayConnections:StallTimeout={StallTimeout}");
        var silo = cluster["node-a"];
        var generation = (await cluster.FindAsync("node-a"))!.Address.Generation;
        // The proxy takes the gateway's port number on another loopback address: Orleans then knows the client's gateway
        // address for the silo's own (a loopback address, its port and its generation) and answers its system calls itself.
        await using var proxy = new TcpProxy(silo.GatewayEndPoint, new IPEndPoint(IPAddress.Parse("127.0.0.2"), silo.Ports.Gateway));
        var flooder = await ConnectAsync(database.ClusterId, $"gwy.tcp://127.0.0.2:{silo.Ports.Gateway}/{generation}");
        try
        {
            var echo = flooder.Services.GetRequiredService<IClusterClient>().GetGrain<IEchoGrain>("flood");
            Assert.Equal("warm", await echo.Echo("warm"));
            var flooded = Assert.Single(proxy.ServerSideEndPoints).Port;
            var baseline = LinuxProcess.ResidentBytes(silo.ProcessId);

            proxy.StopReadingFromServer();
            var text = new string('x', TextLength);
            for (var i = 0; i < Requests; i++)
            {
                // Never answered: the client's calls fail once their response timeout passes.
                _ = echo.Echo(text).ContinueWith(call => call.Exception, TaskScheduler.Default);
            }

            var peak = baseline;
            var flood = System.Diagnostics.Stopwatch.StartNew();
            var samples = new List<string>();
            var stallLine = $"Gateway client 127.0.0.1:{flooded} has not read its responses for";
            try
            {
                await cluster.WaitUntilAsync(
                    () =>
                    {
                        var resident = LinuxProcess.ResidentBytes(silo.ProcessId);
                        peak = Math.Max(peak, resident);
                        if (flood.Elapsed.TotalSeconds >= samples.Count)
                        {
                            samples.Add($"{flood.Elapsed.TotalSeconds:0.0} s: {Mebibytes(resident)} MiB");
                        }

                        var closed = silo.Log.Contains(stallLine, StringComparison.Ordinal)
                            && !LinuxProcess.RemotePortsOn(silo.ProcessId, silo.Ports.Gateway).Contains(flooded);
                        return Task.FromResult(closed || peak - baseline > AllowedGrowth);
                    },
                    "the silo closes the connection of the client that does not read");
            }
            finally
            {
                output.WriteLine($"silo RSS: {Mebibytes(baseline)} MiB before the flood, at most {Mebibytes(peak)} MiB after ({Mebibytes(peak - baseline)} MiB more); "
                    + string.Join(", ", samples));
            }

            Assert.True(
                peak - baseline <= AllowedGrowth,
                $"the silo grew by {Mebibytes(peak - baseline)} MiB, more than {Mebibytes(AllowedGrowth)} MiB\n{cluster.Logs()}");
            Assert.Contains(stallLine, silo.Log, StringComparison.Ordinal);
        }
        finally
        {
            // Its sockets cut first, the flooding client stops without waiting on them.
            proxy.Disconnect();
            await flooder.StopAsync();
            flooder.Dispose();
        }

        await using (var client = await cluster.ConnectClientAsync(silo))
        {
            Assert.Equal("served", await client.GetGrain<IEchoGrain>("after-flood").Echo("served"));
        }

        Assert.False(silo.HasExited);
        Assert.Equal(SiloStatus.Active, (await cluster.FindAsync("node-a"))!.Status);
    }

    private static long Mebibytes(long bytes) => bytes / (1024 * 1024);

    /// <summary>A plain Orleans client whose one gateway is <paramref name="gateway"/> (Orleans' gateway URI: gwy.tcp://address:port/generation).</summary>
    private static async Task<IHost> ConnectAsync(string clusterId, string gateway)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Services.Configure<ClusterOptions>(options => options.ClusterId = clusterId);
            client.UseStaticClustering(options => options.Gateways = [new Uri(gateway)]);
        });
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await host.StartAsync(timeout.Token);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
