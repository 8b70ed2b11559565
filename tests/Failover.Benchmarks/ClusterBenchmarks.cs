namespace Failover.Benchmarks;

/// <summary>
/// Cross-silo call figures on three silo processes (this program's silo verb, configured as the product's, loopback
/// TCP between them): grains on silo A calling grains that live on B and C (driven by <see cref="ILoadDriverGrain"/>),
/// then a client in this process calling them through A's gateway.
/// </summary>
internal sealed class ClusterBenchmarks(BenchmarkSettings settings, BenchmarkDatabase database, TextWriter progress)
{
    private const int Callers = 64;
    private const string A = "node-a";
    private const string B = "node-b";
    private const string C = "node-c";

    /// <summary>
    /// Before each path's rounds: long enough for tiered compilation to settle its code on a busy 2-core machine (with
    /// 3 s, the first path measured ran at a fifth of its later rate).
    /// </summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine($"cluster suite: 3 silo processes on {database.Kind}, loopback TCP, {settings.Rounds} rounds x {settings.Duration.TotalSeconds} s");
        await using var cluster = new SiloProcessCluster(database.Setting, $"cluster-{Guid.NewGuid():N}"[..20], SiloProgram.BenchSilo([]));
        return await cluster.ExplainFailureAsync(() => MeasureAsync(cluster, cancellationToken), progress, cancellationToken);
    }

    private async Task<IReadOnlyList<BenchmarkResult>> MeasureAsync(SiloProcessCluster cluster, CancellationToken cancellationToken)
    {
        await cluster.ApplySchemaAsync(cancellationToken);
        var a = await cluster.StartSiloAsync(cancellationToken, A);
        await cluster.StartSiloAsync(cancellationToken, B);
        await cluster.StartSiloAsync(cancellationToken, C);
        await using var client = await BenchClient.ConnectAsync(cluster, [a], cancellationToken);

        // Half the grains live on B, half on C (their keys say so): every call from A crosses silos.
        var keys = Enumerable.Range(0, Callers).Select(i => BenchKeys.On(i % 2 == 0 ? B : C, $"remote-{i}")).ToArray();
        var latencyKey = BenchKeys.On(B, "latency");
        foreach (var key in keys.Append(latencyKey))
        {
            var node = await client.Grains.GetGrain<IPingGrain>(key).Node().WaitAsync(cancellationToken);
            if (!key.StartsWith($"{node}/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"grain {key} activated on {node}, not on the node its key names");
            }
        }

        var driver = client.Grains.GetGrain<ILoadDriverGrain>(BenchKeys.On(A, "driver"));
        if (await driver.Node().WaitAsync(cancellationToken) != A)
        {
            throw new InvalidOperationException($"the load driver does not run on {A}");
        }

        const string fromSilo = "grains on A -> grains on B/C";
        var siloCalls = new DrivenCalls(fromSilo, settings, progress);
        var siloThroughput = await siloCalls.ThroughputAsync((duration, ct) => driver.Concurrent(keys, duration).WaitAsync(ct), s_warmUp, cancellationToken);
        var siloLatencies = await siloCalls.LatenciesAsync((duration, ct) => driver.Latencies(latencyKey, duration).WaitAsync(ct), cancellationToken);

        var grains = keys.Select(key => client.Grains.GetGrain<IPingGrain>(key)).ToArray();
        var latencyGrain = client.Grains.GetGrain<IPingGrain>(latencyKey);
        const string fromClient = "client -> gateway A -> grains on B/C";
        var clientCalls = new DrivenCalls(fromClient, settings, progress);
        var clientThroughput = await clientCalls.ThroughputAsync(
            async (duration, ct) =>
            {
                var failures = new CallFailures();
                return new Throughput(await Load.ConcurrentAsync(Callers, i => grains[i].Ping(1), duration, failures, ct), failures);
            },
            s_warmUp,
            cancellationToken);
        var clientLatencies = await clientCalls.LatenciesAsync(
            async (duration, ct) =>
            {
                var failures = new CallFailures();
                return new LatencySample([.. await Load.LatenciesAsync(() => latencyGrain.Ping(1), duration, failures, ct)], failures);
            },
            cancellationToken);
        cluster.WriteWarnings(progress);

        return
        [
            new($"{Callers} callers, {fromSilo}", "calls/s (median)", siloThroughput, "calls/s", ">= 50,000", siloThroughput >= 50_000),
            new("1 sequential caller, grain on A -> grain on B", "p50", Statistics.Percentile(siloLatencies, 50), "us"),
            new("1 sequential caller, grain on A -> grain on B", "p99", Statistics.Percentile(siloLatencies, 99), "us"),
            new(fromSilo, "failed calls (warm-up included)", siloCalls.Failures.Count, "calls", "0", siloCalls.Failures.Count == 0),
            new($"{Callers} callers, {fromClient}", "calls/s (median)", clientThroughput, "calls/s"),
            new("1 sequential caller, client -> gateway A -> grain on B", "p50", Statistics.Percentile(clientLatencies, 50), "us"),
            new("1 sequential caller, client -> gateway A -> grain on B", "p99", Statistics.Percentile(clientLatencies, 99), "us"),
            new(fromClient, "failed calls (warm-up included)", clientCalls.Failures.Count, "calls", "0", clientCalls.Failures.Count == 0),
        ];
    }
}
