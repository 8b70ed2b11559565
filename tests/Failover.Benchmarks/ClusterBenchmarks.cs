using System.Net;
using Failover.Storage.Client;
using Failover.Storage.Grains;
using Failover.Testing;

namespace Failover.Benchmarks;

/// <summary>
/// Issue 3's call figures on three silos in this process (a <see cref="TestCluster"/>: real loopback TCP between
/// them): silo A calling grains that live on B and C, and a <see cref="ClusterClient"/> calling them through A.
/// </summary>
internal sealed class ClusterBenchmarks(BenchmarkSettings settings, BenchmarkDatabase database, TextWriter progress)
{
    private const int Callers = 64;

    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine($"cluster suite: 3 silos in this process on {database.Kind}, loopback TCP, {settings.Rounds} rounds x {settings.Duration.TotalSeconds} s");
        await using var cluster = new TestCluster(new TestClusterOptions
        {
            Database = database.Setting,
            GrainAssemblies = [typeof(SiloPingGrain).Assembly],
        });
        var a = await cluster.StartSiloAsync("a");
        var b = await cluster.StartSiloAsync("b");
        var c = await cluster.StartSiloAsync("c");

        // Each grain activates on the silo that calls it first: B and C, so every call from A crosses silos.
        var keys = Enumerable.Range(0, Callers).Select(i => $"remote-{i}").ToArray();
        for (var i = 0; i < keys.Length; i++)
        {
            await ActivateAsync(i % 2 == 0 ? b : c, keys[i]);
        }

        await ActivateAsync(b, "latency");
        var fromA = keys.Select(k => a.GrainFactory.GetGrain<ISiloPingGrain>(k)).ToArray();
        await CheckRemoteAsync(fromA, a.Name);

        const string fromSilo = "silo A -> grains on B/C";
        var (siloThroughput, siloLatencies) = await MeasureAsync(fromSilo, fromA, a.GrainFactory.GetGrain<ISiloPingGrain>("latency"), cancellationToken);

        await using var client = await ClusterClient.ConnectAsync(
            new ClusterClientOptions { ClusterId = cluster.Options.ClusterId, Gateways = [new IPEndPoint(IPAddress.Loopback, a.Port)] },
            cancellationToken: cancellationToken);
        var viaClient = keys.Select(k => client.GetGrain<ISiloPingGrain>(k)).ToArray();
        await CheckRemoteAsync(viaClient, a.Name);
        const string fromClient = "client -> gateway A -> grains on B/C";
        var (clientThroughput, clientLatencies) = await MeasureAsync(fromClient, viaClient, client.GetGrain<ISiloPingGrain>("latency"), cancellationToken);

        var siloP50 = Statistics.Percentile(siloLatencies, 50);
        return
        [
            new($"{Callers} callers, {fromSilo}", "calls/s (median)", siloThroughput, "calls/s", ">= 50,000", siloThroughput >= 50_000),
            new("1 sequential caller, silo A -> grain on B", "p50", siloP50, "us", "<= 200", siloP50 <= 200),
            new("1 sequential caller, silo A -> grain on B", "p99", Statistics.Percentile(siloLatencies, 99), "us"),
            new($"{Callers} callers, {fromClient}", "calls/s (median)", clientThroughput, "calls/s"),
            new("1 sequential caller, client -> gateway A -> grain on B", "p50", Statistics.Percentile(clientLatencies, 50), "us"),
            new("1 sequential caller, client -> gateway A -> grain on B", "p99", Statistics.Percentile(clientLatencies, 99), "us"),
        ];
    }

    private static async Task ActivateAsync(InProcessSilo silo, string key)
    {
        var node = await silo.GrainFactory.GetGrain<ISiloPingGrain>(key).Node();
        if (node != silo.Name)
        {
            throw new InvalidOperationException($"grain {key} activated on {node}, not on {silo.Name} that called it first");
        }
    }

    private static async Task CheckRemoteAsync(ISiloPingGrain[] grains, string caller)
    {
        foreach (var grain in grains)
        {
            if (await grain.Node() == caller)
            {
                throw new InvalidOperationException($"a grain meant to be remote runs on {caller}, the calling silo");
            }
        }
    }

    /// <summary>Median calls/s of <see cref="Callers"/> callers on their own grains, then one caller's latencies (us).</summary>
    private async Task<(double Throughput, List<double> Latencies)> MeasureAsync(
        string name, ISiloPingGrain[] grains, ISiloPingGrain latencyGrain, CancellationToken cancellationToken)
    {
        // Long enough for tiered compilation to settle the messaging paths: rounds measured sooner vary by 2-3x.
        progress.WriteLine($"  {name}: warming up ({s_warmUp.TotalSeconds:0} s)…");
        await Load.ConcurrentAsync(Callers, i => grains[i].Ping(1), s_warmUp, cancellationToken);
        var throughput = await Load.MedianOfRoundsAsync(
            $"{name}, {Callers} callers",
            settings.Rounds,
            ct => Load.ConcurrentAsync(Callers, i => grains[i].Ping(1), settings.Duration, ct),
            progress,
            cancellationToken);

        progress.WriteLine($"  {name}: one sequential caller, latency…");
        var latencies = await Load.LatenciesAsync(() => latencyGrain.Ping(1), settings.Duration * settings.Rounds, cancellationToken);
        return (throughput, latencies);
    }
}
