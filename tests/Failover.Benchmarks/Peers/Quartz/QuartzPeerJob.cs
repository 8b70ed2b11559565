using Quartz;

namespace Failover.Benchmarks.Peers.Quartz;

/// <summary>
/// The benchmark job as Quartz runs it on a node: records its start, then does what its
/// <see cref="PeerJobKind"/> says until done or until the node shuts down.
/// </summary>
internal sealed class QuartzPeerJob(RunLogWriter runs) : IJob
{
    public const string KindKey = "kind";

    public static IJobDetail Describe(string jobId, PeerJobKind kind) =>
        JobBuilder.Create<QuartzPeerJob>()
            .WithIdentity(jobId)
            .UsingJobData(KindKey, kind.ToString())
            // Quartz re-runs a job of a node that died while running it only when the job requests
            // recovery (docs: tutorial/more-about-jobs, advanced-enterprise-features "Clustering");
            // durable keeps the job's row whatever happens to its trigger.
            .StoreDurably()
            .RequestRecovery()
            .Build();

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        runs.RecordStart(context.JobDetail.Key.Name);
        var kind = Enum.Parse<PeerJobKind>(
            context.MergedJobDataMap.GetString(KindKey) ?? throw new JobExecutionException($"job {context.JobDetail.Key} has no {KindKey}"));
        var duration = PeerJobDurations.Of(kind);
        if (duration > TimeSpan.Zero)
        {
            await Task.Delay(duration, cancellationToken);
        }
    }
}
