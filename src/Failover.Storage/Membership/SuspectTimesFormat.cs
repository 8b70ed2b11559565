using System.Globalization;
using Orleans.Runtime;

namespace Failover.Storage.Membership;

/// <summary>
/// Orleans' SuspectTimes column format: <c>ip:port@generation,yyyy-MM-dd HH:mm:ss.fff GMT</c> entries joined by <c>|</c>.
/// </summary>
public static class SuspectTimesFormat
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fff 'GMT'";

    public static IReadOnlyList<SuspectVote> Parse(string? column)
    {
        if (string.IsNullOrWhiteSpace(column))
        {
            return [];
        }

        var votes = new List<SuspectVote>();
        foreach (var entry in column.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0
                || !SiloAddress.TryParse(entry[..comma], out var voter)
                || !DateTime.TryParseExact(entry[(comma + 1)..], TimeFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                throw new FormatException($"SuspectTimes entry '{entry}' is not of the form ip:port@generation,yyyy-MM-dd HH:mm:ss.fff GMT.");
            }

            votes.Add(new SuspectVote(voter, DateTime.SpecifyKind(time, DateTimeKind.Utc)));
        }

        return votes;
    }
}
