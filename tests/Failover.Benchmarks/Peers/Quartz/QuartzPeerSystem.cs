using Quartz;

namespace Failover.Benchmarks.Peers.Quartz;

/// <summary>
/// Three clustered Quartz scheduler processes (<see cref="QuartzNode"/>) and the driver's never-started scheduler
/// that submits to their store.
/// </summary>
internal sealed class QuartzPeerSystem : IPeerSystem
{
    private readonly PeerDatabase _database;
    private readonly IScheduler _submitter;
    private readonly PeerNodeProcesses _processes;

    public QuartzPeerSystem(QuartzSettings settings, string configuration, PeerDatabase database, IScheduler submitter, RunLog runs)
    {
        _database = database;
        _submitter = submitter;
        Configuration = configuration;
        Settings = settings.Describe();
        Runs = runs;
        _processes = new PeerNodeProcesses(QuartzPeer.System, database.ConnectionString, runs, configuration);
    }

    public string Name => $"Quartz.NET {QuartzSettings.Version}";

    public string Configuration { get; }

    public IReadOnlyList<string> Settings { get; }

    public IReadOnlyList<string> Nodes { get; } = ["node-a", "node-b", "node-c"];

    public RunLog Runs { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var node in Nodes)
        {
            await _processes.StartAsync(node, cancellationToken);
        }
    }

    public async Task SubmitAsync(string jobId, PeerJobKind kind, CancellationToken cancellationToken)
    {
        var trigger = TriggerBuilder.Create().WithIdentity(jobId).StartNow().Build();
        await _submitter.ScheduleJob(QuartzPeerJob.Describe(jobId, kind), trigger, cancellationToken: cancellationToken);
    }

    public void Kill(string node) => _processes.Kill(node);

    public Task RestartAsync(string node, CancellationToken cancellationToken) => _processes.StartAsync(node, cancellationToken);

    /// <summary>
    /// Quartz keeps nothing about a firing that was lost: a job of a dead node that did not request recovery just
    /// has its fired-trigger row deleted, and a finished one-shot trigger is deleted as well. What it does keep is
    /// a trigger it gave up firing (MaxConsecutiveFireFailures, a job class it cannot load): stored in the ERROR
    /// state, which is what this reports. Execution history (UseExecutionHistory) would record outcomes, but it is
    /// off by default and so off here.
    /// </summary>
    public async Task<string?> ReportedFailureAsync(string jobId, CancellationToken cancellationToken)
    {
        var state = await _submitter.GetTriggerState(new TriggerKey(jobId), cancellationToken);
        return state == TriggerState.Error ? $"Quartz stored trigger {jobId} in the ERROR state" : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _processes.DisposeAsync();
        await _submitter.Shutdown(waitForJobsToComplete: false, CancellationToken.None);
        await _database.DisposeAsync();
    }
}
