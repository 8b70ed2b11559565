using Failover.Agents.Dispatching;
using Failover.Agents.Orders;

namespace Failover.Agents.Subagents;

/// <summary>What <see cref="SubagentMachine"/> asks its host to do, in order.</summary>
internal abstract record SubagentStep
{
    private SubagentStep()
    {
    }

    /// <summary>Start the run's job now; its end goes back to <see cref="SubagentMachine.Ended"/>.</summary>
    public sealed record Launch(string Dispatcher, JobRun Run) : SubagentStep;

    /// <summary>Kill a launched run; its end still goes back to <see cref="SubagentMachine.Ended"/>.</summary>
    public sealed record Kill(string Dispatcher, RunRef Run, string Reason) : SubagentStep;

    /// <summary>A run's end waits to be reported to <paramref name="Dispatcher"/>: send <see cref="SubagentMachine.Reports"/>.</summary>
    public sealed record Report(string Dispatcher) : SubagentStep;

    /// <summary>A start under <paramref name="Epoch"/> was refused: the subagent has seen <paramref name="Seen"/>.</summary>
    public sealed record RefusedStale(string Dispatcher, RunRef Run, long Epoch, long Seen) : SubagentStep;

    /// <summary>No dispatcher has had an active director for <paramref name="Limit"/>: <paramref name="Runs"/> runs are killed.</summary>
    public sealed record SelfFenced(int Runs, TimeSpan Limit) : SubagentStep;
}
