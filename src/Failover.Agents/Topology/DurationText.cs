using System.Globalization;

namespace Failover.Agents.Topology;

/// <summary>
/// Durations as written in a topology file: a positive number and a unit, <c>ms</c>, <c>s</c>, <c>m</c> or
/// <c>h</c>, with no space (<c>250ms</c>, <c>1.5s</c>, <c>2m</c>). The value must be a whole number of
/// milliseconds and at most <see cref="TopologyLimits.MaxDuration"/>.
/// </summary>
/// <remarks>
/// The canonical form written by <see cref="Format"/> is a whole number in the largest unit that represents the
/// value exactly: 250ms → <c>250ms</c>, 1500ms → <c>1500ms</c>, 90s → <c>90s</c>, 120s → <c>2m</c>,
/// 3600s → <c>1h</c>. Parsing the canonical form gives back the same value.
/// </remarks>
public static class DurationText
{
    private const string Example = "use e.g. 250ms, 1s, 2m";

    private static readonly (string Unit, long Milliseconds)[] Units =
    [
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
    ];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the problem.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why, quoting the text.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string? error)
    {
        value = default;
        text ??= "";
        var (number, unitMs) = Split(text);
        if (unitMs == 0 || !IsPlainDecimal(number)
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            error = $"{Quoting.Quote(text)} is not a duration ({Example})";
            return false;
        }

        if (amount <= 0)
        {
            error = $"{Quoting.Quote(text)} is not a positive duration ({Example})";
            return false;
        }

        var maxMs = (decimal)TopologyLimits.MaxDuration.TotalMilliseconds;
        if (amount > maxMs / unitMs)
        {
            error = $"{Quoting.Quote(text)} is longer than the maximum {Format(TopologyLimits.MaxDuration)}";
            return false;
        }

        var milliseconds = amount * unitMs;
        if (milliseconds != decimal.Truncate(milliseconds))
        {
            error = $"{Quoting.Quote(text)} is not a whole number of milliseconds";
            return false;
        }

        value = TimeSpan.FromMilliseconds((long)milliseconds);
        error = null;
        return true;
    }

    /// <summary>The canonical text of a non-negative, whole-millisecond duration (see the remarks on the class).</summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero || value.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only non-negative whole milliseconds have a duration text.");
        }

        var ms = value.Ticks / TimeSpan.TicksPerMillisecond;
        foreach (var (unit, unitMs) in Units)
        {
            if (ms % unitMs == 0 && (ms != 0 || unitMs == 1))
            {
                return (ms / unitMs).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        throw new InvalidOperationException("unreachable: every value is a whole number of milliseconds");
    }

    private static (string Number, long UnitMs) Split(string text)
    {
        // "ms" before "m" and "s": the longest suffix wins.
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            return (text[..^2], 1);
        }

        foreach (var (unit, unitMs) in Units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal))
            {
                return (text[..^unit.Length], unitMs);
            }
        }

        return (text, 0);
    }

    // decimal.TryParse alone would accept "1." and ".5"; the file format wants digits on both sides of a point.
    private static bool IsPlainDecimal(string number)
    {
        var point = number.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? number : number[..point];
        var fraction = point < 0 ? "0" : number[(point + 1)..];
        return whole.Length is > 0 and <= 20 && fraction.Length is > 0 and <= 9
            && whole.All(char.IsAsciiDigit) && fraction.All(char.IsAsciiDigit);
    }
}
