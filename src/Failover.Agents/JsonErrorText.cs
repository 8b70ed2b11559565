using System.Text.Json;

namespace Failover.Agents;

/// <summary>
/// A JSON syntax error in the words of the person who wrote the file: <c>line 3, column 17: ...</c> instead of
/// System.Text.Json's <c>Path: $ | LineNumber: 2 | BytePositionInLine: 16.</c>
/// </summary>
public static class JsonErrorText
{
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var what = Plain(exception.Message);
        return exception.LineNumber is { } line
            ? $"line {line + 1}, column {(exception.BytePositionInLine ?? 0) + 1}: {what}"
            : what;
    }

    private static string Plain(string message)
    {
        // System.Text.Json appends where it was: " Path: $.x | LineNumber: 0 | BytePositionInLine: 3." (or without Path).
        var cut = message.Length;
        foreach (var marker in new[] { " Path: ", " LineNumber: ", "LineNumber: " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && at < cut)
            {
                cut = at;
            }
        }

        var text = string.Join(' ', message[..cut].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Trim().TrimEnd('.', ' ');
        if (text.Contains("Expected depth to be zero at the end of the JSON payload", StringComparison.Ordinal))
        {
            return "the text ends before every object and array in it is closed";
        }

        if (text.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "there is no JSON value in it";
        }

        if (text.Contains("maximum allowed depth", StringComparison.Ordinal))
        {
            return "objects and arrays are nested too deeply";
        }

        return text.Length == 0 ? "not valid JSON" : text;
    }
}
