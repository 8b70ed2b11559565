namespace Failover.Benchmarks;

/// <summary>
/// Grain calls inside one silo and reminder ticks: one silo process (this program's silo verb, configured as the
/// product's), grains calling grains on it (driven by <see cref="ILoadDriverGrain"/>), controlled by a client in this
/// process that is idle while a round runs.
/// </summary>
internal sealed class RuntimeBenchmarks(BenchmarkSettings settings, BenchmarkDatabase database, TextWriter progress)
{
    private const int Callers = 64;
    private const int ReminderGrains = 20;
    private const string Node = "bench";

    /// <summary>Long enough for tiered compilation to settle the call paths on a busy 2-core machine.</summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(10);

    /// <summary>The product's minimum reminder period (Orleans' own is 1 min).</summary>
    private static readonly TimeSpan s_reminderPeriod = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine($"runtime suite: one silo process on {database.Kind}, calls driven inside it, {settings.Rounds} rounds x {settings.Duration.TotalSeconds} s");
        await using var cluster = new SiloProcessCluster(database.Setting, $"runtime-{Guid.NewGuid():N}"[..20], SiloProgram.BenchSilo([]));
        return await cluster.ExplainFailureAsync(() => MeasureAsync(cluster, cancellationToken), progress, cancellationToken);
    }

    private async Task<IReadOnlyList<BenchmarkResult>> MeasureAsync(SiloProcessCluster cluster, CancellationToken cancellationToken)
    {
        await cluster.ApplySchemaAsync(cancellationToken);
        var silo = await cluster.StartSiloAsync(cancellationToken, Node);
        await using var client = await BenchClient.ConnectAsync(cluster, [silo], cancellationToken);
        var driver = client.Grains.GetGrain<ILoadDriverGrain>(BenchKeys.On(Node, "driver"));
        var keys = Enumerable.Range(0, Callers).Select(i => BenchKeys.On(Node, $"g{i}")).ToArray();

        var calls = new DrivenCalls($"{Callers} caller grains x {Callers} grains", settings, progress);
        var throughput = await calls.ThroughputAsync((duration, ct) => driver.Concurrent(keys, duration).WaitAsync(ct), s_warmUp, cancellationToken);
        var latencies = await calls.LatenciesAsync((duration, ct) => driver.Latencies(BenchKeys.On(Node, "latency"), duration).WaitAsync(ct), cancellationToken);

        List<BenchmarkResult> results =
        [
            new($"in-silo calls, {Callers} caller grains on {Callers} grains", "calls/s (median)", throughput, "calls/s"),
            new("in-silo calls, 1 sequential caller grain", "p50", Statistics.Percentile(latencies, 50), "us"),
            new("in-silo calls, 1 sequential caller grain", "p99", Statistics.Percentile(latencies, 99), "us"),
            new("in-silo calls", "failed calls (warm-up included)", calls.Failures.Count, "calls", "0", calls.Failures.Count == 0),
        ];
        results.AddRange(await ReminderLatenessAsync(client, cancellationToken));
        cluster.WriteWarnings(progress);
        return results;
    }

    private async Task<IReadOnlyList<BenchmarkResult>> ReminderLatenessAsync(BenchClient client, CancellationToken cancellationToken)
    {
        var duration = settings.Duration * settings.Rounds;
        progress.WriteLine($"  reminders: {ReminderGrains} grains, period {s_reminderPeriod.TotalSeconds:0} s, {duration.TotalSeconds:0} s…");
        var grains = Enumerable.Range(0, ReminderGrains).Select(i => client.Grains.GetGrain<ITickGrain>(BenchKeys.On(Node, $"r{i}"))).ToArray();
        foreach (var grain in grains)
        {
            await grain.Start(s_reminderPeriod).WaitAsync(cancellationToken);
        }

        // Deliberately lets time pass: the reminders tick meanwhile.
        await Task.Delay(duration + s_reminderPeriod, cancellationToken);
        var lateness = new List<double>();
        var missed = 0L;
        foreach (var grain in grains)
        {
            await grain.Stop().WaitAsync(cancellationToken);
            var report = await grain.Report().WaitAsync(cancellationToken);
            lateness.AddRange(report.LatenessMs);
            missed += report.Missed;
        }

        var scenario = $"reminder ticks, {ReminderGrains} grains, period {s_reminderPeriod.TotalSeconds:0} s";
        return
        [
            new(scenario, "ticks delivered", lateness.Count, "ticks"),
            new(scenario, "lateness p50", Statistics.Percentile(lateness, 50), "ms"),
            new(scenario, "lateness p99", Statistics.Percentile(lateness, 99), "ms"),
            new(scenario, "missed ticks", missed, "ticks"),
        ];
    }
}
