using System.Globalization;
using System.Text;

namespace Failover.Agents.Topology;

/// <summary>Quotes user text inside an error line so that a newline or a huge value cannot break the one-line form.</summary>
internal static class Quoting
{
    private const int MaxShown = 80;

    public static string Quote(string text) => $"'{Escape(text)}'";

    /// <summary>The text with control characters escaped, cut after 80 characters.</summary>
    public static string Escape(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > MaxShown ? text[..MaxShown] : text)
        {
            shown.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : c);
        }

        return shown.Append(text.Length > MaxShown ? "…" : "").ToString();
    }
}
