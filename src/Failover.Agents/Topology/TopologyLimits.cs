namespace Failover.Agents.Topology;

/// <summary>
/// Every size limit a topology file is held to, in one place. They keep a typo (or a generated file gone wrong)
/// from turning into megabytes of grain state; none is close to what a real installation needs.
/// </summary>
public static class TopologyLimits
{
    /// <summary>Longest topology text accepted, in characters: the file, and the canonical form it is stored in.</summary>
    public const int MaxDocumentChars = 4 * 1024 * 1024;

    /// <summary>
    /// Largest topology file <c>client apply -f</c> reads, in bytes (UTF-8: never fewer characters' worth than
    /// <see cref="MaxDocumentChars"/> allows). The text travels in one Orleans message to the topology grain and back to
    /// every silo; Orleans refuses message bodies over <c>MessagingOptions.MaxMessageBodySize</c> (100 MiB by default,
    /// not changed here), so a file at this limit, even written out again as canonical JSON, stays far below it.
    /// </summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Most entries in each top-level list (agent clusters, subagents, subagent clusters, jobs, file watches).</summary>
    public const int MaxListEntries = 1000;

    /// <summary>Most subagents one subagent cluster may name.</summary>
    public const int MaxSubagentsPerCluster = 1000;

    /// <summary>Most arguments of one job.</summary>
    public const int MaxArgs = 64;

    /// <summary>Most environment variables of one job.</summary>
    public const int MaxEnv = 64;

    /// <summary>Longest id; ids are 1 to this many of <c>A-Z a-z 0-9 . _ -</c>.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Longest node name.</summary>
    public const int MaxNodeNameLength = 255;

    /// <summary>Longest free-text value (command, argument, environment value, directory, pattern).</summary>
    public const int MaxStringLength = 4096;

    /// <summary>Largest process limit of a subagent or a job.</summary>
    public const int MaxProcessLimit = 10_000;

    /// <summary>Longest duration (heartbeat, timeout, delay, rescan): 365 days, written <c>8760h</c>.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(8760);
}
