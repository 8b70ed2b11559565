using Failover.Agents.DirectorClusters;
using Failover.Agents.Orders;

namespace Failover.Agents.Dispatching;

/// <summary>One run of an order on a subagent.</summary>
[GenerateSerializer]
[Alias("Failover.RunRef")]
public sealed record RunRef(string OrderId, int Attempt);

/// <summary>
/// A subagent's heartbeat to one dispatcher, which is also its request for commands (a long poll).
/// <see cref="Known"/> lists every run the subagent has of this dispatcher: running, queued for a free slot, or ended
/// with a report not yet acknowledged. A run the dispatcher delivered to this incarnation that a later poll does not
/// list never ran there.
/// </summary>
/// <param name="Incarnation">The subagent's silo address with its generation: a new one means the silo restarted.</param>
/// <param name="Epoch">The highest fencing token the subagent has seen for its agent.</param>
/// <param name="Running">Processes the subagent runs now, for all dispatchers (its process limit is shared).</param>
/// <param name="Wait">Whether the answer may wait (up to the heartbeat period) for commands.</param>
/// <param name="Sequence">
/// Counts the incarnation's polls of this dispatcher, one at a time: a poll heard after a newer one is old news, and
/// only the newest poll is answered with commands (a subagent that gave up on an answer throws it away).
/// </param>
[GenerateSerializer]
[Alias("Failover.SubagentPoll")]
public sealed record SubagentPoll(
    string Subagent, string Incarnation, long Epoch, IReadOnlyList<RunRef> Known, int Running, bool Wait, long Sequence);

/// <summary>What a subagent must do: the runs to start (all under <see cref="Epoch"/>) and the runs to kill.</summary>
/// <param name="Leading">Whether an active director leads this dispatcher now (for the subagent's self-fencing).</param>
[GenerateSerializer]
[Alias("Failover.PollAnswer")]
public sealed record PollAnswer(long Epoch, bool Leading, IReadOnlyList<JobRun> Start, IReadOnlyList<RunRef> Kill);

/// <summary>How a run ended on its subagent.</summary>
public enum RunEnd
{
    Exited,
    TimedOut,
    Killed,
    StartFailed,

    /// <summary>Not started: the command carried an older fencing token than the subagent has seen.</summary>
    Refused,
}

/// <summary>The end of one run, as a subagent reports it (and repeats until the dispatcher acknowledges it).</summary>
[GenerateSerializer]
[Alias("Failover.RunReport")]
public sealed record RunReport(string OrderId, int Attempt, long Epoch, RunEnd End, int? ExitCode, string? Detail, long DurationMs, string OutputTail)
{
    public RunRef Run => new(OrderId, Attempt);
}

/// <summary>
/// The active director's lead, sent to each dispatcher of its agent every heartbeat period. The dispatcher may lead for
/// <see cref="Lease"/> counted from when it issued <see cref="Ticket"/>: the ticket left the dispatcher before the director
/// received it and only then measured <see cref="Lease"/>, so however long either message travelled, the dispatcher's
/// lead never ends later than the director's own. A lead without a ticket of the receiving activation (the first one,
/// or one meant for an earlier activation) changes the epoch and node but grants no time.
/// </summary>
/// <param name="Lease">What was left of the director's own lease when it built this, after it had received <paramref name="Ticket"/>.</param>
/// <param name="Ticket">The ticket the dispatcher's previous answer carried, or null when the director has none.</param>
[GenerateSerializer]
[Alias("Failover.DirectorLead")]
public sealed record DirectorLead(string Agent, long Epoch, string Node, DirectorClusterState? State, TimeSpan Lease, LeadTicket? Ticket);

/// <summary>A dispatcher activation's mark on its own monotonic clock, for the director to send back with its next lead.</summary>
[GenerateSerializer]
[Alias("Failover.LeadTicket")]
public sealed record LeadTicket(Guid Dispatcher, TimeSpan IssuedAt);

/// <summary>A dispatcher's answer to a lead: the ticket for the next one, and whether this one gave it time to lead.</summary>
[GenerateSerializer]
[Alias("Failover.LeadReceipt")]
public sealed record LeadReceipt(LeadTicket Ticket, bool Counted);

/// <summary>The answer to a submission: the order (new or the existing one of that id), or why it was refused.</summary>
[GenerateSerializer]
[Alias("Failover.SubmitResult")]
public sealed record SubmitResult(bool Accepted, bool Duplicate, OrderRecord? Order, string? Refusal);

/// <summary>One subagent as a dispatcher sees it.</summary>
[GenerateSerializer]
[Alias("Failover.SubagentStatus")]
public sealed record SubagentStatus(
    string Id, string Agent, string Node, bool Enabled, bool Heartbeating, bool Available, int Running, int ProcessLimit, long? LastHeardAgeMs, string? Unavailable);

/// <summary>A dispatcher's overview for <c>client subagents</c> and the benchmarks.</summary>
[GenerateSerializer]
[Alias("Failover.DispatcherStatus")]
public sealed record DispatcherStatus(string Key, long Epoch, bool Leading, string? LeadNode, int Pending, int Processing, IReadOnlyList<SubagentStatus> Subagents)
{
    /// <summary>Since activation: how many batches of order writes, how many writes, and how long the database took for them.</summary>
    [Id(0)]
    public WriteStatistics Writes { get; init; } = new(0, 0, 0);
}

[GenerateSerializer]
[Alias("Failover.WriteStatistics")]
public sealed record WriteStatistics(long Batches, long Orders, double Milliseconds);
