namespace Failover.Benchmarks;

/// <summary>
/// The kill -9 fail-over figure: three silo processes (tests/Failover.TestHost, the product's silo set-up with test
/// grains); a grain with fenced state on one of them; kill -9 that silo and time until a call to the grain, made
/// through a survivor's gateway, is answered on a survivor with the state written before the kill (a call every 25 ms,
/// see <see cref="KillRound"/>). A replacement silo
/// starts after each kill, so three run whenever one is killed.
/// </summary>
internal sealed class FailoverBenchmarks(BenchmarkSettings settings, FailoverConfiguration configuration, BenchmarkDatabase database, TextWriter progress)
{
    /// <summary>A kill whose grain is not back within this long counts as failed.</summary>
    private static readonly TimeSpan s_failoverLimit = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine($"kill -9 fail-over: 3 silo processes on {database.Kind}, {settings.Kills} kills, {configuration}");
        await using var cluster = new SiloProcessCluster(database.Setting, $"failover-{Guid.NewGuid():N}"[..20], SiloProgram.TestHost(configuration.SiloSettings));
        return await cluster.ExplainFailureAsync(() => MeasureAsync(cluster, cancellationToken), progress, cancellationToken);
    }

    private async Task<IReadOnlyList<BenchmarkResult>> MeasureAsync(SiloProcessCluster cluster, CancellationToken cancellationToken)
    {
        await cluster.ApplySchemaAsync(cancellationToken);
        for (var i = 0; i < 3; i++)
        {
            await cluster.StartSiloAsync(cancellationToken);
        }

        var times = new List<double>();
        var declared = new List<double>();
        var failed = 0;
        var stateLost = 0;
        var lostCalls = 0;
        for (var round = 1; round <= settings.Kills; round++)
        {
            var kill = await new KillRound(cluster, $"{cluster.ClusterId}-{round}", s_failoverLimit).RunAsync(cancellationToken);
            var victim = kill.Victim!;
            await cluster.WaitUntilDeadAsync(victim, s_failoverLimit, cancellationToken);
            var deadMs = await cluster.DeclaredDeadAsync(victim, cancellationToken) is { } deadAt ? (deadAt - kill.KilledAt).TotalMilliseconds : (double?)null;
            var outcome = kill.Answered is { } answered
                ? $"answered on {kill.AnsweredBy} after {answered.TotalMilliseconds:N0} ms ({kill.FailedCalls} calls failed before{(kill.LastError is null ? "" : $", last: {kill.LastError}")}; {kill.LostCalls} lost)"
                : $"NOT answered within {s_failoverLimit.TotalSeconds:0} s ({kill.LostCalls} calls unanswered); last error: {kill.LastError}";
            lostCalls += kill.LostCalls;
            progress.WriteLine($"  {configuration.Name}: kill {round}/{settings.Kills}: {victim.Node} killed, declared Dead after {(deadMs is { } d ? $"{d:N0} ms" : "?")}, grain {outcome}");
            if (deadMs is { } ms)
            {
                declared.Add(ms);
            }

            if (kill.Answered is { } time)
            {
                times.Add(time.TotalMilliseconds);
                stateLost += kill.StateKept ? 0 : 1;
            }
            else
            {
                failed++;
            }

            if (round < settings.Kills)
            {
                await cluster.StartSiloAsync(cancellationToken);
            }
        }

        var scenario = $"kill -9 fail-over, 3 silo processes on {database.Kind}, {configuration.Name}";
        var p99 = Statistics.Percentile(times, 99);
        var target = configuration.P99TargetMs;
        return
        [
            new(scenario, "kill -> answered, median", Statistics.Median(times), "ms"),
            new(scenario, "kill -> answered, p99", p99, "ms", target is { } t ? $"<= {t:N0}" : null, target is null ? null : failed == 0 && p99 <= target),
            new(scenario, $"kills not answered within {s_failoverLimit.TotalSeconds:0} s", failed, "kills", "0", failed == 0),
            new(scenario, "kills that lost the grain's state", stateLost, "kills", "0", stateLost == 0),
            new(scenario, "calls lost with the victim (unanswered 1 s after the grain was back)", lostCalls, "calls"),
            new(scenario, "kill -> declared Dead (last vote), median", Statistics.Median(declared), "ms"),
            new(scenario, "kill -> declared Dead (last vote), p99", Statistics.Percentile(declared, 99), "ms"),
        ];
    }
}
