namespace Failover.Agents.Topology;

/// <summary>A file order source: the active director adds one order of <see cref="Job"/> per matching file.</summary>
public sealed record FileWatchSpec
{
    public const string DefaultPattern = "*";
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRescan = TimeSpan.FromSeconds(10);

    public required string Id { get; init; }

    /// <summary>Id of the agent cluster whose active director watches.</summary>
    public required string Agent { get; init; }

    /// <summary>Absolute path of the watched directory on the director nodes.</summary>
    public required string Directory { get; init; }

    /// <summary>File name pattern (<c>*</c> and <c>?</c> wildcards).</summary>
    public string Pattern { get; init; } = DefaultPattern;

    /// <summary>Id of the job (of the same agent) each file's order runs.</summary>
    public required string Job { get; init; }

    /// <summary>How long a file must stay unchanged before its order is added.</summary>
    public TimeSpan Delay { get; init; } = DefaultDelay;

    /// <summary>How often the whole directory is listed again, in case a change notification was missed.</summary>
    public TimeSpan Rescan { get; init; } = DefaultRescan;
}
