using System.Diagnostics;

namespace Failover.Benchmarks;

/// <summary>Drives calls: many callers back to back for a while, one caller timing each call, rounds of either.</summary>
internal static class Load
{
    /// <summary>
    /// Answered calls per second of <paramref name="callers"/> loops, loop <c>i</c> calling <c>call(i)</c> back to back;
    /// failed calls go to <paramref name="failures"/>.
    /// </summary>
    public static async Task<double> ConcurrentAsync(int callers, Func<int, Task> call, TimeSpan duration, CallFailures failures, CancellationToken cancellationToken)
    {
        var stop = 0;
        var stopwatch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            long calls = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                calls += await failures.TryAsync(() => call(i)) ? 1 : 0;
            }

            return calls;
        }, CancellationToken.None)).ToArray();

        await Task.Delay(duration, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Volatile.Write(ref stop, 1);
        var counts = await Task.WhenAll(loops);
        cancellationToken.ThrowIfCancellationRequested();
        return counts.Sum() / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>The latency of every answered call of one caller, in microseconds; failed calls go to <paramref name="failures"/>.</summary>
    public static async Task<List<double>> LatenciesAsync(Func<Task> call, TimeSpan duration, CallFailures failures, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var end = Stopwatch.StartNew();
        while (end.Elapsed < duration)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            if (await failures.TryAsync(call))
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        return latencies;
    }

    /// <summary>Runs <paramref name="round"/> <paramref name="rounds"/> times, printing each value; the median.</summary>
    public static async Task<double> MedianOfRoundsAsync(
        string name, int rounds, Func<CancellationToken, Task<double>> round, TextWriter progress, CancellationToken cancellationToken)
    {
        var values = new List<double>();
        for (var i = 1; i <= rounds; i++)
        {
            var value = await round(cancellationToken);
            values.Add(value);
            progress.WriteLine($"  {name}: round {i}/{rounds}: {value:N0}");
        }

        return Statistics.Median(values);
    }
}
