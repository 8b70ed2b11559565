namespace Failover.Benchmarks;

/// <summary>
/// Issue 3's fail-over figure: three silo processes; a grain on one of them; kill -9 that silo and time until a call
/// to the grain, made through a survivor, is answered on a survivor. A replacement silo starts after each kill, so
/// three run whenever one is killed.
/// </summary>
internal sealed class FailoverBenchmarks(BenchmarkSettings settings, FailoverConfiguration configuration, BenchmarkDatabase database, TextWriter progress)
{
    /// <summary>A kill whose grain is not back within this long counts as failed.</summary>
    private static readonly TimeSpan s_failoverLimit = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        var scenario = $"kill -9 fail-over, 3 silo processes on {database.Kind}, {configuration.Name}";
        progress.WriteLine($"kill -9 fail-over: 3 silo processes on {database.Kind}, {settings.Kills} kills, {configuration}");
        await using var cluster = new SiloProcessCluster(database.Setting, $"failover-{Guid.NewGuid():N}"[..20], SiloProgram.TestHost(configuration.SiloSettings));
        await cluster.ApplySchemaAsync(cancellationToken);
        for (var i = 0; i < 3; i++)
        {
            await cluster.StartSiloAsync(cancellationToken);
        }

        var times = new List<double>();
        var failed = 0;
        var stateLost = 0;
        for (var round = 1; round <= settings.Kills; round++)
        {
            var kill = await new KillRound(cluster, $"{cluster.ClusterId}-{round}", s_failoverLimit).RunAsync(cancellationToken);
            var outcome = kill.Answered is { } answered
                ? $"answered on {kill.AnsweredBy} after {answered.TotalMilliseconds:N0} ms ({kill.FailedCalls} failed calls before)"
                : $"NOT answered within {s_failoverLimit.TotalSeconds:0} s; last error: {kill.LastError}";
            progress.WriteLine($"  {configuration.Name}: kill {round}/{settings.Kills}: {kill.Victim.Node} killed, grain {outcome}");
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
                await cluster.WaitUntilDeadAsync(kill.Victim, s_failoverLimit, cancellationToken);
                await cluster.StartSiloAsync(cancellationToken);
            }
        }

        var p99 = Statistics.Percentile(times, 99);
        var target = configuration.P99TargetMs;
        return
        [
            new(scenario, "kill -> answered, median", Statistics.Median(times), "ms"),
            new(scenario, "kill -> answered, p99", p99, "ms", target is { } t ? $"<= {t:N0}" : null, target is null ? null : failed == 0 && p99 <= target),
            new(scenario, $"kills not answered within {s_failoverLimit.TotalSeconds:0} s", failed, "kills", "0", failed == 0),
            new(scenario, "kills that lost the grain's state", stateLost, "kills", "0", stateLost == 0),
        ];
    }
}
