namespace Failover.Benchmarks;

/// <summary>
/// Rounds of calls driven inside a silo by an <see cref="ILoadDriverGrain"/> (or, for a client path, in this process),
/// the calls that failed kept across warm-up and rounds.
/// </summary>
internal sealed class DrivenCalls(string name, BenchmarkSettings settings, TextWriter progress)
{
    /// <summary>A round whose own call (to the driver) fails is run again, this many times at most.</summary>
    private const int Attempts = 3;

    public CallFailures Failures { get; } = new();

    /// <summary>Warm-up, then the median of the rounds' answered calls per second.</summary>
    public async Task<double> ThroughputAsync(Func<TimeSpan, CancellationToken, Task<Throughput>> run, TimeSpan warmUp, CancellationToken cancellationToken)
    {
        progress.WriteLine($"  {name}: warming up ({warmUp.TotalSeconds:0} s)…");
        Failures.Add((await AttemptAsync(run, warmUp, cancellationToken)).Failures);
        var median = await Load.MedianOfRoundsAsync(
            name,
            settings.Rounds,
            async ct =>
            {
                var round = await AttemptAsync(run, settings.Duration, ct);
                Failures.Add(round.Failures);
                return round.CallsPerSecond;
            },
            progress,
            cancellationToken);
        WriteFailures();
        return median;
    }

    /// <summary>One sequential caller for <see cref="BenchmarkSettings.Rounds"/> x <see cref="BenchmarkSettings.Duration"/>: every answered call's latency (µs).</summary>
    public async Task<List<double>> LatenciesAsync(Func<TimeSpan, CancellationToken, Task<LatencySample>> run, CancellationToken cancellationToken)
    {
        progress.WriteLine($"  {name}: one sequential caller, latency…");
        var latencies = new List<double>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            var sample = await AttemptAsync(run, settings.Duration, cancellationToken);
            latencies.AddRange(sample.Micros);
            Failures.Add(sample.Failures);
        }

        WriteFailures();
        return latencies;
    }

    private async Task<T> AttemptAsync<T>(Func<TimeSpan, CancellationToken, Task<T>> run, TimeSpan duration, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await run(duration, cancellationToken);
            }
            catch (Exception exception) when (attempt < Attempts && exception is not OperationCanceledException)
            {
                Failures.Record(exception);
                progress.WriteLine($"  {name}: the round failed ({exception.GetType().Name}: {exception.Message.Split('\n')[0].Trim()}); again");
            }
        }
    }

    private void WriteFailures()
    {
        if (Failures.Count > 0)
        {
            progress.WriteLine($"  {name}: failed calls so far: {Failures}");
        }
    }
}
