using Failover.Agents.DirectorClusters;
using Failover.Agents.Orders;
using Orleans;
using Orleans.Runtime;

namespace Failover.Agents.Dispatching;

/// <summary>
/// The job dispatcher of one candidate set (key: <see cref="CandidateSet.Key"/>, the subagent cluster's id or
/// <c>agent:&lt;id&gt;</c>): keeps the set's open orders, chooses their subagents and hears the subagents.
/// </summary>
[Alias("Failover.IJobDispatcherGrain")]
public interface IJobDispatcherGrain : IGrainWithStringKey
{
    /// <summary>Durable before it returns; the same id again returns the same order.</summary>
    Task<SubmitResult> Submit(OrderRequest request);

    Task<CommandOutcome> Cancel(string orderId);

    /// <summary>Deletes an ended order (file order sources: the file is gone); false if it has not ended.</summary>
    Task<bool> Forget(string orderId);

    Task<PollAnswer> Poll(SubagentPoll poll);

    /// <summary>Ends of runs; returns those now durable (the subagent forgets them).</summary>
    Task<IReadOnlyList<RunRef>> Report(string subagent, IReadOnlyList<RunReport> reports);

    /// <summary>The active director's lead (see <see cref="DirectorLead"/>); answers with the ticket for the next one.</summary>
    Task<LeadReceipt> Lead(DirectorLead lead);

    Task<CommandOutcome> SetEnabled(string subagent, bool enabled);

    /// <summary>Processing orders on subagents of <paramref name="node"/>.</summary>
    Task<int> RunningOn(string node);

    Task<DispatcherStatus> GetStatus();

    /// <summary>
    /// An open order as the dispatcher holds it, with why it waits right now (the stored record shows that only after
    /// <see cref="DispatcherCore.WaitShownAfter"/>); null when the order is not open here (ended, or unknown).
    /// </summary>
    Task<OrderRecord?> GetOrder(string orderId);
}
