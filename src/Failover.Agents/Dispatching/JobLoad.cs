using Failover.Agents.Topology;

namespace Failover.Agents.Dispatching;

/// <summary>A job's process limit (null = only the subagents' limits) and how many of its processes run now.</summary>
public sealed record JobLoad(string JobId, int? ProcessLimit, int Running)
{
    public static JobLoad For(JobSpec job, int running)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.Id, job.ProcessLimit, running);
    }

    public bool AtLimit => ProcessLimit is { } limit && Running >= limit;
}
