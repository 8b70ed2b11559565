using System.Collections.Frozen;

namespace Failover.Agents.Topology;

/// <summary>Jobs the subagent runs in-process instead of starting a command (<c>"builtin": "noop"</c>).</summary>
public static class BuiltinJobs
{
    /// <summary>Finishes at once with exit code 0.</summary>
    public const string Noop = "noop";

    /// <summary>Waits for the duration given as its first argument, then finishes with exit code 0.</summary>
    public const string Sleep = "sleep";

    /// <summary>Finishes at once with a non-zero exit code.</summary>
    public const string Fail = "fail";

    /// <summary>Every builtin job name (case-sensitive).</summary>
    public static IReadOnlySet<string> Names { get; } = new[] { Noop, Sleep, Fail }.ToFrozenSet(StringComparer.Ordinal);
}
