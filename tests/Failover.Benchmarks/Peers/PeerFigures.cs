namespace Failover.Benchmarks.Peers;

/// <summary>What the peers suite measured of one system in one configuration.</summary>
internal sealed class PeerFigures(string system, string configuration)
{
    public string System { get; } = system;

    public string Configuration { get; } = configuration;

    public string Label => $"{System} ({Configuration})";

    public IReadOnlyList<string> Settings { get; set; } = [];

    /// <summary>Jobs per second of each counted round.</summary>
    public List<double> Throughput { get; } = [];

    /// <summary>Submit → start, milliseconds, one per sequential job.</summary>
    public List<double> Latency { get; } = [];

    /// <summary>kill -9 → the long job running again (or reported failed), milliseconds, one per round that saw it.</summary>
    public List<double> Failover { get; } = [];

    /// <summary>How each fail-over round ended: "ran again on node-b", "reported failed: …", "not within 10 min".</summary>
    public List<string> FailoverOutcomes { get; } = [];

    public int ExactlyOnceJobs { get; set; }

    public int RanTwice { get; set; }

    public int NeverRan { get; set; }

    public int ReportedFailed { get; set; }

    /// <summary>Why a measure could not be taken, if one failed.</summary>
    public string? Error { get; set; }
}
