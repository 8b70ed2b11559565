using System.Collections.Immutable;

namespace Failover.Agents.Orders;

/// <summary>
/// One order, as persisted and as shown by <c>client submit/order --json</c> (camelCase: <c>{id, job, arguments, state,
/// subagent, attempt, epoch, reason, exitCode, durationMs, outputTail, cancelRequested, waiting, created, updated, history: [{time, state,
/// detail}]}</c>). Only <see cref="OrderMachine"/> makes new versions of it.
/// </summary>
[GenerateSerializer]
[Alias("Failover.OrderRecord")]
public sealed record OrderRecord
{
    [Id(0)]
    public required string Id { get; init; }

    [Id(1)]
    public required string Job { get; init; }

    /// <summary>Name → value, in ordinal key order; the process sees them as environment variables (<see cref="OrderEnvironment"/>).</summary>
    [Id(2)]
    public IReadOnlyDictionary<string, string> Arguments
    {
        get;
        init => field = value.ToImmutableSortedDictionary(StringComparer.Ordinal);
    } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    [Id(3)]
    public OrderState State { get; init; } = OrderState.Pending;

    /// <summary>The subagent the current attempt runs (or the last one ran) on; null while Pending.</summary>
    [Id(4)]
    public string? Subagent { get; init; }

    /// <summary>The run this order is on, or waits for when Pending: 1 for the first, one more per restart.</summary>
    [Id(5)]
    public int Attempt { get; init; } = 1;

    /// <summary>The director's fencing token the current attempt was started (or last re-attached) under; reports with a lower one are stale.</summary>
    [Id(6)]
    public long Epoch { get; init; }

    /// <summary>Set when Failed or Cancelled.</summary>
    [Id(7)]
    public OrderReason? Reason { get; init; }

    /// <summary>The process's exit code, when it exited.</summary>
    [Id(8)]
    public int? ExitCode { get; init; }

    /// <summary>How long the last attempt's process ran, when it ended on its subagent.</summary>
    [Id(9)]
    public long? DurationMs { get; init; }

    /// <summary>The last bytes of the last attempt's output (stdout and stderr interleaved), when it ended.</summary>
    [Id(10)]
    public string? OutputTail { get; init; }

    /// <summary>A user cancelled it while Processing: the process is being killed; it ends Cancelled once it is gone.</summary>
    [Id(11)]
    public bool CancelRequested { get; init; }

    /// <summary>Why a Pending order has not started (no subagent available), or null.</summary>
    [Id(12)]
    public string? Waiting { get; init; }

    /// <summary>UTC, as supplied by the caller.</summary>
    [Id(13)]
    public DateTime Created { get; init; }

    /// <summary>UTC time of the last accepted transition.</summary>
    [Id(14)]
    public DateTime Updated { get; init; }

    [Id(15)]
    public IReadOnlyList<OrderHistoryEntry> History { get; init => field = [.. value]; } = [];

    public bool Equals(OrderRecord? other) =>
        other is not null
        && Id == other.Id
        && Job == other.Job
        && OrderArguments.Same(Arguments, other.Arguments)
        && State == other.State
        && Subagent == other.Subagent
        && Attempt == other.Attempt
        && Epoch == other.Epoch
        && Reason == other.Reason
        && ExitCode == other.ExitCode
        && DurationMs == other.DurationMs
        && OutputTail == other.OutputTail
        && CancelRequested == other.CancelRequested
        && Waiting == other.Waiting
        && Created == other.Created
        && Updated == other.Updated
        && History.SequenceEqual(other.History);

    public override int GetHashCode() => HashCode.Combine(Id, State, Attempt, History.Count);
}
