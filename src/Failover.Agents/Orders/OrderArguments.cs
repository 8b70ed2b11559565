using System.Text;

namespace Failover.Agents.Orders;

/// <summary>
/// Rules for an order's arguments. They become environment variables (<see cref="OrderEnvironment"/>), hence the name
/// shape and no NUL in values; names may not differ only in case, because Windows environments are case-insensitive.
/// </summary>
public static class OrderArguments
{
    public const int MaxCount = 64;
    public const int MaxNameLength = 64;
    public const int MaxValueChars = 4096;

    /// <summary>Names and values together, in UTF-8 bytes.</summary>
    public const int MaxTotalBytes = 64 * 1024;

    public const string NameDescription = "1-64 characters from A-Z a-z 0-9 _, not starting with a digit";

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>The first rule <paramref name="arguments"/> break, as one line for people; null when they are valid.</summary>
    public static string? Validate(IReadOnlyDictionary<string, string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count > MaxCount)
        {
            return $"an order takes at most {MaxCount} arguments, not {arguments.Count}";
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var total = 0;
        foreach (var (name, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (!IsValidName(name))
            {
                return $"argument name '{name}' is invalid: {NameDescription}";
            }

            if (!seen.TryAdd(name, name))
            {
                return $"arguments '{seen[name]}' and '{name}' differ only in case";
            }

            if (value is null)
            {
                return $"argument '{name}' has no value";
            }

            if (value.Length > MaxValueChars)
            {
                return $"argument '{name}' is {value.Length} characters long; at most {MaxValueChars}";
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                return $"argument '{name}' contains a NUL character, which an environment variable cannot hold";
            }

            total += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
        }

        return total > MaxTotalBytes
            ? $"the arguments take {total} bytes (UTF-8, names and values); at most {MaxTotalBytes}"
            : null;
    }

    /// <summary>Same names with the same values (ordinal).</summary>
    public static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Not through TryGetValue: either dictionary may have been built with a case-insensitive comparer.
        return a.Count == b.Count
            && a.OrderBy(e => e.Key, StringComparer.Ordinal).SequenceEqual(b.OrderBy(e => e.Key, StringComparer.Ordinal));
    }
}
