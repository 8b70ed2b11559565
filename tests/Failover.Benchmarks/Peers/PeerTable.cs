using System.Globalization;

namespace Failover.Benchmarks.Peers;

/// <summary>
/// The peers suite as one Markdown table (ready for the README): a row per system and configuration, ours first; in
/// brackets how many times better ours is on that row's measure (below 1: the peer wins it).
/// </summary>
internal static class PeerTable
{
    public static void Write(IReadOnlyList<PeerFigures> figures, TextWriter output)
    {
        if (figures.Count == 0)
        {
            return;
        }

        var ours = figures.FirstOrDefault(f => f.System == "failover");
        output.WriteLine();
        output.WriteLine($"| system | throughput, {PeerBenchmarks.ThroughputJobs} noop jobs, {PeerBenchmarks.Callers} callers | submit → start p50 | p99 | kill -9 → runs again / reported failed (median) | around a kill: ran twice / never / reported failed |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var f in figures)
        {
            var isOurs = ReferenceEquals(f, ours);
            output.WriteLine(string.Join(" | ", new[]
            {
                $"| {f.Label}",
                Cell(Median(f.Throughput), "jobs/s", isOurs || ours is null ? null : Median(ours.Throughput) / Median(f.Throughput)),
                Cell(Median(f.Latency), "ms", isOurs || ours is null ? null : Median(f.Latency) / Median(ours.Latency)),
                Cell(P99(f.Latency), "ms", isOurs || ours is null ? null : P99(f.Latency) / P99(ours.Latency)),
                FailoverCell(f, isOurs ? null : ours),
                f.ExactlyOnceJobs == 0 ? "–" : $"{f.RanTwice} / {f.NeverRan} / {f.ReportedFailed} of {f.ExactlyOnceJobs}",
            }) + " |");
        }

        foreach (var f in figures.Where(f => f.Error is not null))
        {
            output.WriteLine($"{f.Label} failed: {f.Error}");
        }
    }

    private static string FailoverCell(PeerFigures f, PeerFigures? ours)
    {
        if (f.Failover.Count == 0)
        {
            return f.FailoverOutcomes.Count == 0 ? "–" : $"not within the wait ({f.FailoverOutcomes.Count} rounds)";
        }

        var missed = f.FailoverOutcomes.Count - f.Failover.Count;
        var cell = Cell(Median(f.Failover), "ms", ours is null || ours.Failover.Count == 0 ? null : Median(f.Failover) / Median(ours.Failover));
        return missed > 0 ? $"{cell}; {missed} of {f.FailoverOutcomes.Count} not within the wait" : cell;
    }

    private static string Cell(double value, string unit, double? oursTimesBetter) =>
        double.IsNaN(value)
            ? "–"
            : $"{value.ToString(value >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture)} {unit}"
                + (oursTimesBetter is { } ratio && !double.IsNaN(ratio) ? $" ({ratio.ToString(ratio >= 10 ? "N0" : "N1", CultureInfo.InvariantCulture)}×)" : "");

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : Statistics.Median(values);

    private static double P99(List<double> values) => values.Count == 0 ? double.NaN : Statistics.Percentile(values, 99);
}
