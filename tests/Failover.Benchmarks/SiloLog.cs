using System.Globalization;
using System.Text.RegularExpressions;

namespace Failover.Benchmarks;

/// <summary>
/// Reads a silo process's console log (simple console, one line per entry, UTC <c>HH:mm:ss.fff</c> first): when a
/// line matching a pattern was logged, on the same machine clock the benchmark reads with <see cref="DateTime.UtcNow"/>.
/// </summary>
internal static partial class SiloLog
{
    /// <summary>The first line at or after <paramref name="offset"/> (a length of the log read earlier) that matches.</summary>
    public static DateTime? First(SiloProcess silo, int offset, Regex pattern, DateTime near)
    {
        var text = silo.Process.StandardOutput;
        foreach (var line in text[Math.Min(offset, text.Length)..].Split('\n'))
        {
            if (pattern.IsMatch(line) && TimeOf(line, near) is { } time)
            {
                return time;
            }
        }

        return null;
    }

    public static bool Contains(SiloProcess silo, Regex pattern) => pattern.IsMatch(silo.Process.StandardOutput);

    /// <summary>How much of the log exists now: later searches start here.</summary>
    public static int Length(SiloProcess silo) => silo.Process.StandardOutput.Length;

    /// <summary>The line's UTC time of day on the day closest to <paramref name="near"/> (so midnight does not matter).</summary>
    private static DateTime? TimeOf(string line, DateTime near)
    {
        var match = Timestamp().Match(line);
        if (!match.Success || !TimeSpan.TryParseExact(match.Groups[1].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var timeOfDay))
        {
            return null;
        }

        var time = DateTime.SpecifyKind(near.Date + timeOfDay, DateTimeKind.Utc);
        return (time - near).TotalHours switch
        {
            > 12 => time.AddDays(-1),
            < -12 => time.AddDays(1),
            _ => time,
        };
    }

    [GeneratedRegex(@"^(\d{2}:\d{2}:\d{2}\.\d{3}) ")]
    private static partial Regex Timestamp();
}
