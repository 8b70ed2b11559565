using Hangfire;

namespace Failover.Benchmarks.Peers.Hangfire;

/// <summary>The benchmark job a Hangfire node runs: records its start, then waits its kind's duration.</summary>
internal static class HangfireJob
{
    /// <summary>The node's run log, set by <see cref="HangfireNode"/> before its server starts.</summary>
    public static RunLogWriter? Runs { get; set; }

    // No automatic retry: a benchmark job that throws is a failure to report (Failed state), not one to run again
    // later; a node's crash is recovered by the storage's invisibility timeout, which no retry filter takes part in.
    [AutomaticRetry(Attempts = 0)]
    public static async Task RunAsync(string jobId, PeerJobKind kind, CancellationToken cancellationToken)
    {
        var runs = Runs ?? throw new InvalidOperationException("HangfireJob.Runs is not set: the job runs outside a peer node");
        runs.RecordStart(jobId);
        var duration = PeerJobDurations.Of(kind);
        if (duration > TimeSpan.Zero)
        {
            await Task.Delay(duration, cancellationToken);
        }
    }
}
