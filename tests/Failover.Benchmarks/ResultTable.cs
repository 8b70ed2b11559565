using System.Globalization;

namespace Failover.Benchmarks;

internal static class ResultTable
{
    public static void Write(IReadOnlyList<BenchmarkResult> results, TextWriter output)
    {
        if (results.Count == 0)
        {
            output.WriteLine();
            output.WriteLine("(no results)");
            return;
        }

        string[] headers = ["SCENARIO", "METRIC", "VALUE", "UNIT", "TARGET", "MET"];
        var rows = results.Select(r => new[]
        {
            r.Scenario,
            r.Metric,
            r.Value.ToString(r.Value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture),
            r.Unit,
            r.Target ?? "",
            r.Met switch { true => "yes", false => "NO", null => "" },
        }).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine();
        output.WriteLine(Format(headers, widths));
        output.WriteLine(Format([.. widths.Select(w => new string('-', w))], widths));
        foreach (var row in rows)
        {
            output.WriteLine(Format(row, widths));
        }
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == 2 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
}
