using System.Diagnostics.CodeAnalysis;

namespace Failover.Agents.FileWatches;

/// <summary>
/// Order ids of file watches: <c>file:&lt;watch id&gt;:&lt;file name&gt;</c>. A watch id has no ':' (topology ids are
/// <c>A-Z a-z 0-9 . _ -</c>), so everything after the second ':' is the file name, colons included.
/// </summary>
public static class FileOrderIds
{
    public const string Prefix = "file:";

    /// <summary>What every order id of <paramref name="watchId"/> starts with.</summary>
    public static string WatchPrefix(string watchId)
    {
        ArgumentException.ThrowIfNullOrEmpty(watchId);
        if (watchId.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"a file watch id cannot contain ':' ({watchId})", nameof(watchId));
        }

        return $"{Prefix}{watchId}:";
    }

    public static string Make(string watchId, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return WatchPrefix(watchId) + fileName;
    }

    public static bool TryParse(string? orderId, [NotNullWhen(true)] out string? watchId, [NotNullWhen(true)] out string? fileName)
    {
        watchId = null;
        fileName = null;
        if (orderId is null || !orderId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var separator = orderId.IndexOf(':', Prefix.Length);
        if (separator <= Prefix.Length || separator == orderId.Length - 1)
        {
            return false;
        }

        watchId = orderId[Prefix.Length..separator];
        fileName = orderId[(separator + 1)..];
        return true;
    }
}
