using System.Globalization;
using System.Text.Json;

namespace Failover.Benchmarks;

/// <summary>The run as JSON: machine, settings, which database each suite used, the results.</summary>
internal static class ResultFile
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<string> WriteAsync(
        BenchmarkSettings settings,
        IReadOnlyDictionary<string, string> databases,
        IReadOnlyList<BenchmarkResult> results,
        IReadOnlyList<Peers.PeerFigures> peers,
        CancellationToken cancellationToken)
    {
        var suite = settings.Suite.ToString().ToLowerInvariant();
        var path = settings.JsonPath
            ?? Path.Combine("BenchmarkResults", $"{suite}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new
        {
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString() },
            settings = new
            {
                suite,
                seconds = settings.Duration.TotalSeconds,
                settings.Rounds,
                settings.Kills,
                databases,
                failoverSiloSettings = FailoverConfiguration.All.ToDictionary(c => c.Name, c => c.SiloSettings),
                directorSettings = DirectorConfiguration.All.ToDictionary(
                    c => c.Name, c => new { c.Heartbeat, c.HeartbeatTimeout, siloSettings = c.Membership.SiloSettings }),
            },
            results,
            peers = peers.Select(p => new
            {
                system = p.System,
                configuration = p.Configuration,
                settings = p.Settings,
                throughputRounds = p.Throughput,
                latencyMs = p.Latency.Count == 0 ? null : new { p50 = Statistics.Median(p.Latency), p99 = Statistics.Percentile(p.Latency, 99), samples = p.Latency.Count },
                failoverMs = p.Failover,
                failoverOutcomes = p.FailoverOutcomes,
                exactlyOnce = new { jobs = p.ExactlyOnceJobs, ranTwice = p.RanTwice, neverRan = p.NeverRan, reportedFailed = p.ReportedFailed },
                error = p.Error,
            }),
        }, s_json), cancellationToken);
        return path;
    }
}
