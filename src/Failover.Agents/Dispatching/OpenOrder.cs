using Failover.Agents.Orders;
using Failover.Storage.Records;

namespace Failover.Agents.Dispatching;

/// <summary>An order a dispatcher holds in memory: from submission until its end is durable.</summary>
internal sealed class OpenOrder(OrderRecord record, long version)
{
    public OrderRecord Record { get; set; } = record;

    /// <summary>The version stored in the database; 0 while the order's first write is under way.</summary>
    public long Version { get; set; } = version;

    /// <summary>
    /// The incarnation of the subagent its start was delivered to; null while the start waits in an outbox;
    /// <see cref="UnknownDelivery"/> for a Processing order loaded from the database.
    /// </summary>
    public string? DeliveredTo { get; set; }

    public TimeSpan ProcessingSince { get; set; }

    /// <summary>Since when it waits for a subagent (submitted, or back to Pending).</summary>
    public TimeSpan PendingSince { get; set; }

    /// <summary>Completes once the order's first write is committed (or refused): duplicate submissions wait for it.</summary>
    public TaskCompletionSource<bool> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The submission that made it, to tell it from a repeated one.</summary>
    public OrderRequest? Request { get; set; }

    /// <summary>
    /// Why it waits, as of the last dispatch pass that found no subagent for it (at least every timer tick): shown at once
    /// by <see cref="DispatcherCore.View"/>, while the record's own <see cref="OrderRecord.Waiting"/> is written only
    /// after a longer wait.
    /// </summary>
    public string? WaitingNow { get; set; }

    /// <summary><paramref name="version"/> (this order's record, or an earlier version of it) with why it waits right now, while both are Pending.</summary>
    public OrderRecord WithWaitingNow(OrderRecord version) =>
        version.State == OrderState.Pending && version.Waiting is null && Record.State == OrderState.Pending && WaitingNow is { } reason
            ? version with { Waiting = reason }
            : version;

    /// <summary>The record as last written.</summary>
    public OrderRecord? LastWritten { get; set; }

    /// <summary>When the first write found the id taken: the record stored under it.</summary>
    public StoredRecord? Conflict { get; set; }

    public const string UnknownDelivery = "?";
}
