using System.Text;

namespace Failover.Agents.FileWatches;

/// <summary>
/// A file name pattern: <c>*</c> is any run of characters (also none), <c>?</c> exactly one, anything else itself.
/// The whole name must match, case-sensitively; a leading '.' is not special. Characters are Unicode scalars, so
/// <c>?</c> matches one emoji too.
/// </summary>
internal sealed class FilePattern
{
    private readonly Rune[] _pattern;

    public FilePattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Text = pattern;
        _pattern = [.. pattern.EnumerateRunes()];
    }

    public string Text { get; }

    public bool Matches(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Rune[] text = [.. name.EnumerateRunes()];
        int p = 0, t = 0;

        // Greedy with one backtrack point: the last '*' and where its run ends (linear for typical patterns).
        int star = -1, starEnd = 0;
        while (t < text.Length)
        {
            if (p < _pattern.Length && _pattern[p].Value == '*')
            {
                star = p++;
                starEnd = t;
            }
            else if (p < _pattern.Length && (_pattern[p].Value == '?' || _pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++starEnd;
            }
            else
            {
                return false;
            }
        }

        while (p < _pattern.Length && _pattern[p].Value == '*')
        {
            p++;
        }

        return p == _pattern.Length;
    }

    public override string ToString() => Text;
}
