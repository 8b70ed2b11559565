using System.Diagnostics;
using Failover.Runtime.Grains;
using Failover.Runtime.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Benchmarks;

/// <summary>Issue 2's figures: in-silo call throughput and latency, proxy overhead, reminder tick lateness.</summary>
internal sealed class RuntimeBenchmarks(IServiceProvider services, BenchmarkSettings settings, TextWriter progress)
{
    private const int Callers = 64;

    private IGrainFactory Factory => services.GetRequiredService<IGrainFactory>();

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync()
    {
        var results = new List<BenchmarkResult>();
        await WarmUpAsync();

        var throughput = await RoundsAsync("64 callers x 64 grains", () => ConcurrentThroughputAsync(Callers));
        results.Add(new("in-silo calls, 64 callers on 64 grains", "calls/s (median)", throughput, "calls/s", ">= 300,000", throughput >= 300_000));

        var latencies = await SequentialLatenciesAsync(Factory.GetGrain<IPingGrain>("latency"));
        results.Add(new("in-silo calls, 1 sequential caller", "p50", Statistics.Percentile(latencies, 50), "us"));
        results.Add(new("in-silo calls, 1 sequential caller", "p99", Statistics.Percentile(latencies, 99), "us"));

        var dispatchProxy = await RoundsAsync("DispatchProxy", () => SequentialThroughputAsync(Factory.GetGrain<IPingGrain>("proxy-a")));
        var invoker = services.GetRequiredService<IGrainCallInvoker>();
        var handWritten = await RoundsAsync("hand-written proxy", () =>
            SequentialThroughputAsync(new HandWrittenPingProxy(new GrainId("PingGrain", "proxy-b"), invoker)));
        results.Add(new("proxy: DispatchProxy", "calls/s (median)", dispatchProxy, "calls/s"));
        results.Add(new("proxy: hand-written (generator-equivalent)", "calls/s (median)", handWritten, "calls/s"));
        results.Add(new("proxy: DispatchProxy / hand-written", "ratio", dispatchProxy / handWritten, "x"));

        results.AddRange(await ReminderLatenessAsync());
        return results;
    }

    private async Task WarmUpAsync()
    {
        progress.WriteLine("warming up…");
        for (var i = 0; i < Callers; i++)
        {
            await Factory.GetGrain<IPingGrain>($"g{i}").Ping(0);
        }

        await ConcurrentThroughputAsync(Callers, TimeSpan.FromSeconds(1));
    }

    private async Task<double> RoundsAsync(string name, Func<Task<double>> round)
    {
        var values = new List<double>();
        for (var i = 1; i <= settings.Rounds; i++)
        {
            var value = await round();
            values.Add(value);
            progress.WriteLine($"  {name}: round {i}/{settings.Rounds}: {value:N0}");
        }

        return Statistics.Median(values);
    }

    private Task<double> ConcurrentThroughputAsync(int callers) => ConcurrentThroughputAsync(callers, settings.Duration);

    private async Task<double> ConcurrentThroughputAsync(int callers, TimeSpan duration)
    {
        var grains = Enumerable.Range(0, callers).Select(i => Factory.GetGrain<IPingGrain>($"g{i}")).ToArray();
        var stop = 0;
        var stopwatch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(grains.Select(grain => Task.Run(async () =>
        {
            long calls = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                await grain.Ping(1);
                calls++;
            }

            return calls;
        })).Append(Task.Run(async () =>
        {
            await Task.Delay(duration);
            Volatile.Write(ref stop, 1);
            return 0L;
        })));
        return counts.Sum() / stopwatch.Elapsed.TotalSeconds;
    }

    private async Task<double> SequentialThroughputAsync(IPingGrain grain)
    {
        long calls = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < settings.Duration)
        {
            await grain.Ping(1);
            calls++;
        }

        return calls / stopwatch.Elapsed.TotalSeconds;
    }

    private async Task<List<double>> SequentialLatenciesAsync(IPingGrain grain)
    {
        progress.WriteLine("  sequential latency…");
        var latencies = new List<double>();
        var end = Stopwatch.StartNew();
        while (end.Elapsed < settings.Duration * settings.Rounds)
        {
            var start = Stopwatch.GetTimestamp();
            await grain.Ping(1);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return latencies;
    }

    private async Task<IReadOnlyList<BenchmarkResult>> ReminderLatenessAsync()
    {
        const int grains = 20;
        var period = TimeSpan.FromMilliseconds(100);
        progress.WriteLine($"  reminders: {grains} grains, period {period.TotalMilliseconds} ms, {settings.Duration * settings.Rounds}…");
        TickGrain.Ticks.Clear();
        for (var i = 0; i < grains; i++)
        {
            await Factory.GetGrain<ITickGrain>($"r{i}").Start(period);
        }

        await Task.Delay(settings.Duration * settings.Rounds);
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
