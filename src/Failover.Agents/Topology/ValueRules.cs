namespace Failover.Agents.Topology;

/// <summary>Shapes of values in the topology: ids (1 to 64 of <c>A-Z a-z 0-9 . _ -</c>) and absolute paths.</summary>
internal static class ValueRules
{
    public const string IdDescription = "1-64 characters from A-Z a-z 0-9 . _ -";

    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= TopologyLimits.MaxIdLength
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>
    /// Rooted on any platform: the file is checked where <c>client apply</c> runs, which need not be the OS of the
    /// director nodes, so this does not use <see cref="Path.IsPathFullyQualified(string)"/>.
    /// </summary>
    public static bool IsAbsolutePath(string path) =>
        path.StartsWith('/')
        || path.StartsWith(@"\\", StringComparison.Ordinal)
        || (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '/' or '\\');
}
