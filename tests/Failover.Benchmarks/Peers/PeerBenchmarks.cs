using System.Diagnostics;

namespace Failover.Benchmarks.Peers;

/// <summary>
/// <c>--suite peers</c>: Orleans.Failover, Quartz.NET and Hangfire side by side, in one run, on one PostgreSQL server
/// (a database of its own for each), three node processes each, measured the same way:
/// <list type="number">
/// <item>throughput: <see cref="ThroughputJobs"/> one-off no-op jobs from <see cref="Callers"/> concurrent callers,
/// from the first submission until every one has run once (one uncounted warm-up round, then the counted rounds);</item>
/// <item>latency: submit → start, one job at a time;</item>
/// <item>fail-over: a long job running on a node, <c>kill -9</c> of that node's process, until the job runs again
/// somewhere or the submitter is told it failed;</item>
/// <item>exactly once: <see cref="ExactlyOnceJobs"/> short jobs submitted while a node is killed (and restarted):
/// jobs that started twice, that never started and were not reported failed, and those reported failed.</item>
/// </list>
/// </summary>
internal sealed class PeerBenchmarks(BenchmarkSettings settings, string serverConnectionString, DirectoryInfo workDirectory, TextWriter progress)
{
    public const int Callers = 64;
    public const int ThroughputJobs = 2_000;
    public const int ExactlyOnceJobs = 600;
    private const int ExactlyOnceCallers = 16;
    private const int LatencySamples = 200;
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_latencyBudget = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_roundTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>How long the exactly-once check waits for every job to start or be reported failed.</summary>
    private static readonly TimeSpan s_exactlyOnceWait = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long after the kill the exactly-once check watches for second starts: Quartz.NET's defaults recover a dead
    /// node's jobs 15–22.5 s after its last check-in, and an idle scheduler looks for work only every 30 s.
    /// </summary>
    private static readonly TimeSpan s_recoveryWatch = TimeSpan.FromSeconds(60);

    private readonly List<PeerFigures> _figures = [];

    public IReadOnlyList<PeerFigures> Figures => _figures;

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine($"peers: {await PeerDatabase.DescribeServerAsync(serverConnectionString, cancellationToken)}; " +
            $"{settings.Rounds} rounds of {ThroughputJobs} jobs from {Callers} callers, {settings.PeerFailovers} fail-overs (each waiting up to {settings.PeerFailoverWait.TotalMinutes:0} min)");
        foreach (var entry in PeerSystems.All.Where(e => settings.Peers is null || settings.Peers.Contains(e.Name)))
        {
            var figures = new PeerFigures(entry.Name, entry.Configuration);
            _figures.Add(figures);
            try
            {
                await using var system = await entry.Create(new PeerContext(serverConnectionString, entry.Configuration, workDirectory, progress), cancellationToken);
                figures.Settings = system.Settings;
                progress.WriteLine($"{system.Name} ({system.Configuration}):");
                foreach (var line in system.Settings)
                {
                    progress.WriteLine($"  setting: {line}");
                }

                figures.Settings = [system.Name, .. system.Settings];
                await MeasureAsync(system, figures, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                figures.Error = exception.Message;
                progress.WriteLine($"error: {figures.Label} failed: {exception}");
            }
        }

        return [.. _figures.SelectMany(Results)];
    }

    private async Task MeasureAsync(IPeerSystem system, PeerFigures figures, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await system.StartAsync(cancellationToken);
        progress.WriteLine($"  {system.Nodes.Count} nodes run jobs after {clock.Elapsed.TotalSeconds:0.0} s");

        // Fresh processes run their hot paths unoptimized at first (tiered JIT) and fresh tables have no statistics: every
        // system gets the same uncounted warm-up, at least one round and at least 30 s.
        var warmUp = Stopwatch.StartNew();
        for (var round = 1; round == 1 || warmUp.Elapsed < s_warmUp; round++)
        {
            var jobsPerSecond = await ThroughputAsync(system, $"w{round}", cancellationToken);
            progress.WriteLine($"  throughput warm-up {round} (not counted): {jobsPerSecond:0} jobs/s");
        }

        for (var round = 1; round <= settings.Rounds; round++)
        {
            figures.Throughput.Add(await ThroughputAsync(system, $"t{round}", cancellationToken));
            progress.WriteLine($"  throughput round {round}: {figures.Throughput[^1]:0} jobs/s");
        }

        await LatencyAsync(system, figures, cancellationToken);
        progress.WriteLine($"  submit → start: p50 {Statistics.Median(figures.Latency):0.0} ms, p99 {Statistics.Percentile(figures.Latency, 99):0.0} ms ({figures.Latency.Count} jobs)");

        await ExactlyOnceAsync(system, figures, cancellationToken);
        progress.WriteLine($"  exactly once, {figures.ExactlyOnceJobs} short jobs around a kill: {figures.RanTwice} ran twice, {figures.NeverRan} never ran, {figures.ReportedFailed} reported failed");

        for (var round = 1; round <= settings.PeerFailovers; round++)
        {
            var finished = await FailoverRoundAsync(system, figures, round, cancellationToken);
            progress.WriteLine($"  fail-over {round}: {figures.FailoverOutcomes[^1]}");
            if (!finished)
            {
                progress.WriteLine($"  (no more fail-over rounds: this one waited the whole {settings.PeerFailoverWait.TotalMinutes:0} min)");
                break;
            }
        }
    }

    private static async Task<double> ThroughputAsync(IPeerSystem system, string prefix, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, ThroughputJobs).Select(i => $"{prefix}-{i}").ToArray();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < ids.Length)
            {
                await system.SubmitAsync(ids[index], PeerJobKind.Noop, cancellationToken);
            }
        }));
        await Poll.UntilAsync(ct => system.AllStartedAsync(ids, ct), s_roundTimeout, $"all {ids.Length} jobs of round {prefix} ran", cancellationToken);
        return ids.Length / clock.Elapsed.TotalSeconds;
    }

    private static async Task LatencyAsync(IPeerSystem system, PeerFigures figures, CancellationToken cancellationToken)
    {
        var budget = Stopwatch.StartNew();
        for (var i = 0; i < LatencySamples && (i < 10 || budget.Elapsed < s_latencyBudget); i++)
        {
            var id = $"latency-{i}";
            var submitted = DateTime.UtcNow;
            await system.SubmitAsync(id, PeerJobKind.Noop, cancellationToken);
            DateTime? started = null;
            await Poll.UntilAsync(async ct => (started = await system.FirstStartAsync(id, ct)) is not null, s_startTimeout, $"job {id} started", cancellationToken, s_pollInterval);
            figures.Latency.Add(Math.Max(0, (started!.Value - submitted).TotalMilliseconds));
        }
    }

    /// <summary>
    /// Short jobs from <see cref="ExactlyOnceCallers"/> callers; a third of the way in, <c>kill -9</c> of the node that
    /// started a job last (so it runs some); once all are submitted, the node is started again. Then every job must have
    /// started once, or have been reported failed to the submitter.
    /// </summary>
    private async Task ExactlyOnceAsync(IPeerSystem system, PeerFigures figures, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(0, ExactlyOnceJobs).Select(i => $"once-{i}").ToArray();
        figures.ExactlyOnceJobs = ids.Length;
        var next = -1;
        var submitted = 0;
        string? killed = null;
        var killLock = new Lock();
        await Task.WhenAll(Enumerable.Range(0, ExactlyOnceCallers).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < ids.Length)
            {
                await system.SubmitAsync(ids[index], PeerJobKind.Short, cancellationToken);
                if (Interlocked.Increment(ref submitted) == ids.Length / 3)
                {
                    lock (killLock)
                    {
                        killed = NodeThatStartedLast(system, ids);
                        system.Kill(killed);
                    }
                }
            }
        }));
        var killedAt = DateTime.UtcNow;
        progress.WriteLine($"  exactly once: killed {killed} after {ids.Length / 3} submissions; restarting it");
        await system.RestartAsync(killed!, cancellationToken);

        // Settled: every job started or was reported failed. A job that was running on the killed node may still start a
        // second time when the system recovers the node's work, so the watch goes on for the recovery window too.
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        var settleBy = DateTime.UtcNow + s_exactlyOnceWait;
        var watchUntil = killedAt + s_recoveryWatch;
        var settled = false;
        while ((!settled && DateTime.UtcNow < settleBy) || DateTime.UtcNow < watchUntil)
        {
            system.Runs.Refresh();
            settled = true;
            foreach (var id in ids.Where(id => system.Runs.StartsOf(id).Count == 0 && !reported.ContainsKey(id)))
            {
                if (await system.ReportedFailureAsync(id, cancellationToken) is { } failure)
                {
                    reported[id] = failure;
                }
                else
                {
                    settled = false;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        // Jobs that started can still be reported failed (a run lost with its node).
        foreach (var id in ids.Where(id => !reported.ContainsKey(id)))
        {
            if (await system.ReportedFailureAsync(id, cancellationToken) is { } failure)
            {
                reported[id] = failure;
            }
        }

        system.Runs.Refresh();
        figures.RanTwice = ids.Count(id => system.Runs.StartsOf(id).Count > 1);
        figures.NeverRan = ids.Count(id => system.Runs.StartsOf(id).Count == 0 && !reported.ContainsKey(id));
        if (figures.NeverRan > 0)
        {
            progress.WriteLine($"  exactly once: {figures.NeverRan} jobs neither started nor were reported failed within {s_exactlyOnceWait.TotalMinutes:0} min");
        }

        figures.ReportedFailed = reported.Count;
        if (reported.Count > 0)
        {
            progress.WriteLine($"  exactly once: for example {reported.First().Key}: {reported.First().Value}");
        }
    }

    private static string NodeThatStartedLast(IPeerSystem system, IEnumerable<string> ids)
    {
        system.Runs.Refresh();
        return ids.SelectMany(system.Runs.StartsOf).MaxBy(s => s.Time)?.Node ?? system.Nodes[^1];
    }

    /// <summary>One long job, its node killed; true when the round saw the job run again or reported failed in time.</summary>
    private async Task<bool> FailoverRoundAsync(IPeerSystem system, PeerFigures figures, int round, CancellationToken cancellationToken)
    {
        var id = $"failover-{round}";
        await system.SubmitAsync(id, PeerJobKind.Long, cancellationToken);
        await Poll.UntilAsync(ct => Task.FromResult(Refreshed(system).StartsOf(id).Count > 0), s_startTimeout, $"the long job {id} started", cancellationToken);
        var node = system.Runs.StartsOf(id)[0].Node;
        var killedAt = DateTime.UtcNow;
        system.Kill(node);

        string? outcome = null;
        double? milliseconds = null;
        var deadline = DateTime.UtcNow + settings.PeerFailoverWait;
        while (outcome is null && DateTime.UtcNow < deadline)
        {
            if (Refreshed(system).StartsOf(id) is [_, var again, ..])
            {
                milliseconds = (again.Time - killedAt).TotalMilliseconds;
                outcome = $"ran again on {again.Node} {milliseconds:0} ms after the kill of {node}";
            }
            else if (await system.ReportedFailureAsync(id, cancellationToken) is { } failure)
            {
                milliseconds = (DateTime.UtcNow - killedAt).TotalMilliseconds;
                outcome = $"reported failed {milliseconds:0} ms after the kill of {node}: {failure}";
            }
            else
            {
                await Task.Delay(s_pollInterval, cancellationToken);
            }
        }

        figures.FailoverOutcomes.Add(outcome ?? $"neither ran again nor was reported failed within {settings.PeerFailoverWait.TotalMinutes:0} min of the kill of {node}");
        if (milliseconds is { } value)
        {
            figures.Failover.Add(value);
        }

        await system.RestartAsync(node, cancellationToken);
        return outcome is not null;
    }

    private static RunLog Refreshed(IPeerSystem system)
    {
        system.Runs.Refresh();
        return system.Runs;
    }

    private IEnumerable<BenchmarkResult> Results(PeerFigures figures)
    {
        var scenario = $"peers: {figures.Label}";
        if (figures.Throughput.Count > 0)
        {
            yield return new(scenario, $"throughput, {ThroughputJobs} noop jobs, {Callers} callers (median of rounds)", Statistics.Median(figures.Throughput), "jobs/s");
        }

        if (figures.Latency.Count > 0)
        {
            yield return new(scenario, "submit → start, sequential, p50", Statistics.Median(figures.Latency), "ms");
            yield return new(scenario, "submit → start, sequential, p99", Statistics.Percentile(figures.Latency, 99), "ms");
        }

        if (figures.Failover.Count > 0)
        {
            yield return new(scenario, $"kill -9 → long job runs again or is reported failed, median of {figures.Failover.Count}", Statistics.Median(figures.Failover), "ms");
        }

        if (figures.ExactlyOnceJobs > 0)
        {
            yield return new(scenario, $"{figures.ExactlyOnceJobs} short jobs around a kill: ran twice", figures.RanTwice, "jobs");
            yield return new(scenario, $"{figures.ExactlyOnceJobs} short jobs around a kill: never ran, not reported", figures.NeverRan, "jobs");
            yield return new(scenario, $"{figures.ExactlyOnceJobs} short jobs around a kill: reported failed", figures.ReportedFailed, "jobs");
        }
    }
}
