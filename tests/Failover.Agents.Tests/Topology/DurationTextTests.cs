using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Topology;

public sealed class DurationTextTests
{
    public static TheoryData<string, int> Valid => new()
    {
        { "250ms", 250 },
        { "1s", 1_000 },
        { "2m", 120_000 },
        { "1h", 3_600_000 },
        { "1.5s", 1_500 },
        { "0.25s", 250 },
        { "0.5m", 30_000 },
        { "90s", 90_000 },
        { "007s", 7_000 },
    };

    public static TheoryData<string, string> Invalid => new()
    {
        { "", "'' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "0s", "'0s' is not a positive duration (use e.g. 250ms, 1s, 2m)" },
        { "0.0ms", "'0.0ms' is not a positive duration (use e.g. 250ms, 1s, 2m)" },
        { "-1s", "'-1s' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "1", "'1' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "1d", "'1d' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "abc", "'abc' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "s", "'s' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "1 s", "'1 s' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { " 1s", "' 1s' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "1S", "'1S' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "1.s", "'1.s' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { ".5s", "'.5s' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "1e3ms", "'1e3ms' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "1,5s", "'1,5s' is not a duration (use e.g. 250ms, 1s, 2m)" },
        { "1.5ms", "'1.5ms' is not a whole number of milliseconds" },
        { "8761h", "'8761h' is longer than the maximum 8760h" },
        { "99999999999999999999h", "'99999999999999999999h' is longer than the maximum 8760h" },
        { "1s\n", "'1s\\u000a' is not a duration (use e.g. 250ms, 1s, 2m)" },
    };

    public static TheoryData<long, string> Formatted => new()
    {
        { 0, "0ms" },
        { 1, "1ms" },
        { 250, "250ms" },
        { 1_000, "1s" },
        { 1_500, "1500ms" },
        { 90_000, "90s" },
        { 120_000, "2m" },
        { 5_400_000, "90m" },
        { 3_600_000, "1h" },
        { 31_536_000_000, "8760h" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses(string text, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationText.Parse(text));
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsWithReason(string text, string reason)
    {
        Assert.False(DurationText.TryParse(text, out _, out var error));
        Assert.Equal(reason, error);
        Assert.Equal(reason, Assert.Throws<FormatException>(() => DurationText.Parse(text)).Message);
    }

    [Fact]
    public void RejectsNull() => Assert.False(DurationText.TryParse(null, out _));

    [Theory]
    [MemberData(nameof(Formatted))]
    public void FormatsInTheLargestExactUnitAndRoundTrips(long milliseconds, string text)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);
        Assert.Equal(text, DurationText.Format(value));
        if (milliseconds > 0)
        {
            Assert.Equal(value, DurationText.Parse(text));
        }
    }

    [Fact]
    public void FormatRejectsNegativeAndSubMillisecondValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DurationText.Format(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DurationText.Format(TimeSpan.FromTicks(1)));
    }
}
