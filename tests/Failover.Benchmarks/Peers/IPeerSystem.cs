namespace Failover.Benchmarks.Peers;

/// <summary>
/// One system of the side-by-side comparison (<c>--suite peers</c>): three node processes on a PostgreSQL database of
/// its own, each node running the jobs it is handed. Every job records its start in <see cref="Runs"/> (the job's id,
/// the node, the time) before it does anything else, so all systems are timed and checked the same way.
/// </summary>
internal interface IPeerSystem : IAsyncDisposable
{
    /// <summary>The system and its version, e.g. <c>Quartz.NET 4.7.3</c>.</summary>
    string Name { get; }

    /// <summary><c>defaults</c>, or <c>tuned</c> (the fail-over settings its documentation allows).</summary>
    string Configuration { get; }

    /// <summary>The settings the run used, as <c>key = value</c> lines (printed and written to the JSON).</summary>
    IReadOnlyList<string> Settings { get; }

    /// <summary>The node names, e.g. <c>node-a</c>, <c>node-b</c>, <c>node-c</c>.</summary>
    IReadOnlyList<string> Nodes { get; }

    /// <summary>The starts the jobs recorded so far.</summary>
    RunLog Runs { get; }

    /// <summary>Starts every node's process and returns once each of them runs jobs.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Submits a one-off job that runs once, as soon as possible, on any node. Returns once the system acknowledged it:
    /// what the system's own client API returns when the job is stored.
    /// </summary>
    Task SubmitAsync(string jobId, PeerJobKind kind, CancellationToken cancellationToken);

    /// <summary><c>kill -9</c> of the node's process.</summary>
    void Kill(string node);

    /// <summary>Starts a new process for a killed node and returns once it runs jobs.</summary>
    Task RestartAsync(string node, CancellationToken cancellationToken);

    /// <summary>
    /// What the system tells the submitter about a job it gave up on (failed, lost, deleted), or null when it reports
    /// nothing of the kind (the job ran, runs, waits, or is silently lost).
    /// </summary>
    Task<string?> ReportedFailureAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Whether every one of <paramref name="jobIds"/> started at least once; by default from <see cref="Runs"/>.</summary>
    Task<bool> AllStartedAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        Runs.Refresh();
        return Task.FromResult(Runs.StartedOf(jobIds) == jobIds.Count);
    }

    /// <summary>When the job first started (wall clock, UTC), or null while it has not; by default from <see cref="Runs"/>.</summary>
    Task<DateTime?> FirstStartAsync(string jobId, CancellationToken cancellationToken)
    {
        Runs.Refresh();
        return Task.FromResult(Runs.StartsOf(jobId) is [var first, ..] ? first.Time : (DateTime?)null);
    }
}

/// <summary>What a benchmark job does after it recorded its start.</summary>
internal enum PeerJobKind
{
    /// <summary>Nothing.</summary>
    Noop,

    /// <summary>Waits 100 ms: long enough that a kill finds some of them running.</summary>
    Short,

    /// <summary>Waits 10 minutes: the job a fail-over round kills the node of.</summary>
    Long,
}
