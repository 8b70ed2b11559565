using Failover.Storage.Grains;
using Failover.Storage.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Benchmarks;

/// <summary>Issue 2's figures: in-silo call throughput and latency, proxy overhead, reminder tick lateness.</summary>
internal sealed class RuntimeBenchmarks(IServiceProvider services, BenchmarkSettings settings, TextWriter progress)
{
    private const int Callers = 64;

    private IGrainFactory Factory => services.GetRequiredService<IGrainFactory>();

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchmarkResult>();
        await WarmUpAsync(cancellationToken);

        var throughput = await RoundsAsync("64 callers x 64 grains", ct => ConcurrentThroughputAsync(settings.Duration, ct), cancellationToken);
        results.Add(new("in-silo calls, 64 callers on 64 grains", "calls/s (median)", throughput, "calls/s", ">= 300,000", throughput >= 300_000));

        progress.WriteLine("  sequential latency…");
        var latency = Factory.GetGrain<IPingGrain>("latency");
        var latencies = await Load.LatenciesAsync(() => latency.Ping(1), settings.Duration * settings.Rounds, cancellationToken);
        results.Add(new("in-silo calls, 1 sequential caller", "p50", Statistics.Percentile(latencies, 50), "us"));
        results.Add(new("in-silo calls, 1 sequential caller", "p99", Statistics.Percentile(latencies, 99), "us"));

        var proxy = Factory.GetGrain<IPingGrain>("proxy-a");
        var dispatchProxy = await RoundsAsync("DispatchProxy", ct => Load.SequentialAsync(() => proxy.Ping(1), settings.Duration, ct), cancellationToken);
        var handWrittenProxy = new HandWrittenPingProxy(new GrainId("PingGrain", "proxy-b"), services.GetRequiredService<IGrainCallInvoker>());
        var handWritten = await RoundsAsync(
            "hand-written proxy", ct => Load.SequentialAsync(() => handWrittenProxy.Ping(1), settings.Duration, ct), cancellationToken);
        results.Add(new("proxy: DispatchProxy", "calls/s (median)", dispatchProxy, "calls/s"));
        results.Add(new("proxy: hand-written (generator-equivalent)", "calls/s (median)", handWritten, "calls/s"));
        results.Add(new("proxy: DispatchProxy / hand-written", "ratio", dispatchProxy / handWritten, "x"));

        results.AddRange(await ReminderLatenessAsync(cancellationToken));
        return results;
    }

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine("warming up…");
        for (var i = 0; i < Callers; i++)
        {
            await Factory.GetGrain<IPingGrain>($"g{i}").Ping(0);
        }

        await ConcurrentThroughputAsync(TimeSpan.FromSeconds(1), cancellationToken);
    }

    private Task<double> RoundsAsync(string name, Func<CancellationToken, Task<double>> round, CancellationToken cancellationToken) =>
        Load.MedianOfRoundsAsync(name, settings.Rounds, round, progress, cancellationToken);

    private Task<double> ConcurrentThroughputAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var grains = Enumerable.Range(0, Callers).Select(i => Factory.GetGrain<IPingGrain>($"g{i}")).ToArray();
        return Load.ConcurrentAsync(Callers, i => grains[i].Ping(1), duration, cancellationToken);
    }

    private async Task<IReadOnlyList<BenchmarkResult>> ReminderLatenessAsync(CancellationToken cancellationToken)
    {
        const int grains = 20;
        var period = TimeSpan.FromMilliseconds(100);
        progress.WriteLine($"  reminders: {grains} grains, period {period.TotalMilliseconds} ms, {settings.Duration * settings.Rounds}…");
        TickGrain.Ticks.Clear();
        for (var i = 0; i < grains; i++)
        {
            await Factory.GetGrain<ITickGrain>($"r{i}").Start(period);
        }

        // Deliberately lets time pass: the reminders tick meanwhile.
        await Task.Delay(settings.Duration * settings.Rounds, cancellationToken);
        for (var i = 0; i < grains; i++)
        {
            await Factory.GetGrain<ITickGrain>($"r{i}").Stop();
        }

        var lateness = TickGrain.Ticks.Select(t => t.LatenessMs).ToList();
        var missed = TickGrain.Ticks.Sum(t => t.Missed);
        const string scenario = "reminder ticks, 20 grains, period 100 ms";
        return
        [
            new(scenario, "ticks delivered", lateness.Count, "ticks"),
            new(scenario, "lateness p50", Statistics.Percentile(lateness, 50), "ms"),
            new(scenario, "lateness p99", Statistics.Percentile(lateness, 99), "ms"),
            new(scenario, "missed ticks", missed, "ticks"),
        ];
    }
}
