using System.Net;
using Failover.Storage.Membership;
using Orleans.Runtime;

namespace Failover.Storage.Tests;

/// <summary>The SuspectTimes column as Orleans' ADO.NET clustering provider writes it: <c>ip:port@generation,time GMT|…</c>.</summary>
public sealed class SuspectTimesFormatTests
{
    private static readonly SiloAddress A = SiloAddress.New(IPAddress.Parse("10.0.0.1"), 11111, 120_000_001);
    private static readonly SiloAddress B = SiloAddress.New(IPAddress.Parse("10.0.0.2"), 11112, 120_000_002);

    [Fact]
    public void Votes_written_as_Orleans_writes_them_parse_back_in_utc_to_the_millisecond()
    {
        var votes = new[]
        {
            new SuspectVote(A, new DateTime(2025, 3, 4, 5, 6, 7, 89, DateTimeKind.Utc)),
            new SuspectVote(B, new DateTime(2025, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc)),
        };

        var parsed = SuspectTimesFormat.Parse(OrleansColumn(votes));

        Assert.Equal(votes, parsed);
        Assert.All(parsed, v => Assert.Equal(DateTimeKind.Utc, v.Time.Kind));
        // The same instants as Orleans' own parser reads (it leaves the kind unspecified).
        Assert.Equal(
            OrleansColumn(votes).Split('|').Select(e => LogFormatter.ParseDate(e.Split(',')[1]).Ticks),
            parsed.Select(v => v.Time.Ticks));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_column_has_no_votes(string? column)
    {
        Assert.Empty(SuspectTimesFormat.Parse(column));
    }

    [Fact]
    public void Blanks_around_entries_and_empty_entries_are_ignored()
    {
        var column = $" {A.ToParsableString()},2025-03-04 05:06:07.089 GMT | |{B.ToParsableString()},2025-03-04 05:06:08.000 GMT|";

        Assert.Equal([A, B], SuspectTimesFormat.Parse(column).Select(v => v.Voter));
    }

    [Theory]
    [InlineData("10.0.0.1:11111@120000001")]
    [InlineData("10.0.0.1:11111@120000001;2025-03-04 05:06:07.089 GMT")]
    [InlineData("not-a-silo,2025-03-04 05:06:07.089 GMT")]
    [InlineData("10.0.0.1:11111@120000001,2025-03-04T05:06:07.089Z")]
    [InlineData("10.0.0.1:11111@120000001,2025-03-04 05:06:07 GMT")]
    public void A_malformed_entry_is_a_format_error_naming_it(string entry)
    {
        var column = $"{B.ToParsableString()},2025-03-04 05:06:08.000 GMT|{entry}";

        var error = Assert.Throws<FormatException>(() => SuspectTimesFormat.Parse(column));

        Assert.Contains($"'{entry}'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>What Orleans' ADO.NET clustering provider writes into the column (DbStoredQueries, 10.4.2).</summary>
    private static string OrleansColumn(IEnumerable<SuspectVote> votes) =>
        string.Join("|", votes.Select(v => v.Voter.ToParsableString() + "," + LogFormatter.PrintDate(v.Time)));
}
