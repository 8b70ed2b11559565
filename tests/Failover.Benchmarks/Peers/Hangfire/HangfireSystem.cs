using System.Collections.Concurrent;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.States;

namespace Failover.Benchmarks.Peers.Hangfire;

/// <summary>
/// Hangfire on the peers suite's terms: three <c>peer-node hangfire</c> processes run the jobs; this (driver) side
/// enqueues them with a <see cref="BackgroundJobClient"/> on the same storage and reads their states through the
/// monitoring API.
/// </summary>
internal sealed class HangfireSystem : IPeerSystem
{
    private readonly PeerDatabase _database;
    private readonly PostgreSqlStorage _storage;
    private readonly BackgroundJobClient _client;
    private readonly PeerNodeProcesses _processes;
    private readonly ConcurrentDictionary<string, string> _hangfireIds = new(StringComparer.Ordinal);

    public HangfireSystem(string configuration, bool tuned, PeerDatabase database, PostgreSqlStorage storage, RunLog runs)
    {
        Configuration = configuration;
        Settings = HangfireConfiguration.Settings(tuned);
        Runs = runs;
        _database = database;
        _storage = storage;
        _client = new BackgroundJobClient(storage);
        _processes = new PeerNodeProcesses(HangfirePeer.System, database.ConnectionString, runs, configuration);
    }

    public string Name => HangfireConfiguration.Versions;

    public string Configuration { get; }

    public IReadOnlyList<string> Settings { get; }

    public IReadOnlyList<string> Nodes { get; } = ["node-a", "node-b", "node-c"];

    public RunLog Runs { get; }

    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Nodes.Select(node => _processes.StartAsync(node, cancellationToken)));

    public async Task SubmitAsync(string jobId, PeerJobKind kind, CancellationToken cancellationToken)
    {
        var hangfireId = await OnOwnThread(
            () => _client.Enqueue(() => HangfireJob.RunAsync(jobId, kind, CancellationToken.None)),
            cancellationToken);
        if (!_hangfireIds.TryAdd(jobId, hangfireId))
        {
            throw new InvalidOperationException($"job {jobId} was submitted twice (Hangfire jobs {_hangfireIds[jobId]} and {hangfireId})");
        }
    }

    public void Kill(string node) => _processes.Kill(node);

    public Task RestartAsync(string node, CancellationToken cancellationToken) => _processes.StartAsync(node, cancellationToken);

    public async Task<string?> ReportedFailureAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!_hangfireIds.TryGetValue(jobId, out var hangfireId))
        {
            throw new InvalidOperationException($"job {jobId} was not submitted to Hangfire");
        }

        var details = await OnOwnThread(() => _storage.GetMonitoringApi().JobDetails(hangfireId), cancellationToken);
        var state = details?.History.FirstOrDefault();
        if (details is null || state is null)
        {
            return $"Hangfire has no job {hangfireId}";
        }

        if (state.StateName == FailedState.StateName)
        {
            return $"Failed: {state.Reason ?? Describe(state.Data)}";
        }

        return state.StateName == DeletedState.StateName ? $"Deleted: {state.Reason ?? "no reason given"}" : null;
    }

    /// <summary>The nodes' last lines, for a failed run.</summary>
    public void WriteLastLines(TextWriter output) => _processes.WriteLastLines(output);

    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static string Describe(IDictionary<string, string> data) =>
        data.TryGetValue("ExceptionType", out var type) | data.TryGetValue("ExceptionMessage", out var message)
            ? $"{type}: {message}"
            : "no reason given";

    // Hangfire's client and monitoring API are synchronous (blocking Npgsql I/O): 64 submitters on pool threads would
    // starve the thread pool of a 2-core driver, so each call gets a thread of its own.
    private static Task<T> OnOwnThread<T>(Func<T> call, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(call, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
