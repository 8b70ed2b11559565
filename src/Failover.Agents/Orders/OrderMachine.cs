using Failover.Agents.Topology;

namespace Failover.Agents.Orders;

/// <summary>
/// The life of one order, pure: each input takes the current record and the time (UTC, from the caller) and returns an
/// <see cref="OrderStep"/>. Every accepted transition appends to the history; Finished, Failed and Cancelled never
/// change. Reports about a process carry its attempt and the epoch it runs under: one of an older attempt, or an epoch
/// lower than the order's, comes from a run the order has moved past and is ignored (<see cref="OrderStepResult.Stale"/>).
/// <para>
/// Exit codes: 0 is Finished; anything else is Failed with <see cref="OrderReason.NonZeroExit"/> and the code kept.
/// Once a cancel was requested, any end of the attempt (exit, failure, timeout, lost subagent) is Cancelled.
/// </para>
/// </summary>
public static class OrderMachine
{
    /// <summary>A new order, Pending, waiting for attempt 1. Validation and idempotency are <see cref="OrderSubmissions"/>'s.</summary>
    public static OrderStep Submit(string id, string job, IReadOnlyDictionary<string, string> arguments, DateTime now)
    {
        var order = new OrderRecord { Id = id, Job = job, Arguments = arguments, Created = now, Updated = now };
        return new(order with { History = [new(now, OrderState.Pending, "submitted")] }, OrderStepResult.Applied, [], "submitted");
    }

    /// <summary>The dispatcher chose <paramref name="subagent"/>: Pending → Processing. Persist, then send <see cref="StartProcess"/>.</summary>
    public static OrderStep Start(OrderRecord order, string subagent, int attempt, long epoch, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.State != OrderState.Pending)
        {
            return Refused(order, order.State == OrderState.Processing
                ? $"order {order.Id} already runs attempt {order.Attempt} on {order.Subagent}"
                : $"order {order.Id} is already {order.State}");
        }

        if (epoch < order.Epoch)
        {
            return Stale(order, $"epoch {epoch} is older than order {order.Id}'s epoch {order.Epoch}");
        }

        if (attempt != order.Attempt)
        {
            return Refused(order, $"order {order.Id} waits for attempt {order.Attempt}, not {attempt}");
        }

        return Apply(
            order,
            order with { State = OrderState.Processing, Subagent = subagent, Epoch = epoch, Waiting = null },
            now,
            $"attempt {attempt} dispatched to {subagent} under epoch {epoch}",
            new StartProcess(subagent, order.Id, attempt));
    }

    /// <summary>
    /// No subagent is available: the Pending order shows why. The first wait is a history entry; a changed reason
    /// afterwards only updates <see cref="OrderRecord.Waiting"/>, so a long wait does not grow the history.
    /// </summary>
    public static OrderStep Wait(OrderRecord order, string reason, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.State != OrderState.Pending)
        {
            return Refused(order, $"order {order.Id} is {order.State}, not Pending");
        }

        if (order.Waiting == reason)
        {
            return Unchanged(order, "already waiting for that reason");
        }

        return order.Waiting is null
            ? Apply(order, order with { Waiting = reason }, now, $"waiting: {reason}")
            : new(order with { Waiting = reason, Updated = now }, OrderStepResult.Applied, [], $"waiting: {reason}");
    }

    /// <summary>The attempt's process exited: code 0 → Finished, otherwise Failed(NonZeroExit).</summary>
    public static OrderStep Exited(OrderRecord order, int attempt, long epoch, int exitCode, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (StaleReport(order, attempt, epoch) is { } stale)
        {
            return Stale(order, stale);
        }

        var exited = order with { ExitCode = exitCode, Epoch = Math.Max(epoch, order.Epoch) };
        var run = $"attempt {attempt} on {order.Subagent}";
        return order.CancelRequested
            ? Apply(order, AsCancelled(exited), now, $"cancelled: {run} exited with code {exitCode}")
            : exitCode == 0
                ? Apply(order, exited with { State = OrderState.Finished }, now, $"{run} exited with code 0")
                : Apply(order, AsFailed(exited, OrderReason.NonZeroExit), now, $"{run} exited with code {exitCode}");
    }

    /// <summary>The subagent reports the attempt failed without an exit code (e.g. <see cref="OrderReason.StartFailed"/>).</summary>
    public static OrderStep Failed(OrderRecord order, int attempt, long epoch, OrderReason reason, string detail, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentOutOfRangeException.ThrowIfEqual(reason, OrderReason.Cancelled);
        if (StaleReport(order, attempt, epoch) is { } stale)
        {
            return Stale(order, stale);
        }

        var failed = order with { Epoch = Math.Max(epoch, order.Epoch) };
        var run = $"attempt {attempt} on {order.Subagent}";
        return order.CancelRequested
            ? Apply(order, AsCancelled(failed), now, $"cancelled: {run} ended ({reason}: {detail})")
            : Apply(order, AsFailed(failed, reason), now, $"{run} failed ({reason}): {detail}");
    }

    /// <summary>
    /// A user cancels. Pending → Cancelled at once; Processing → cancel requested and the process killed, Cancelled
    /// when it is gone. Repeating the cancel of a running order sends the kill again.
    /// </summary>
    public static OrderStep Cancel(OrderRecord order, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        switch (order.State)
        {
            case OrderState.Pending:
                return Apply(order, AsCancelled(order), now, "cancelled before it started");
            case OrderState.Processing:
                var kill = KillOf(order);
                return order.CancelRequested
                    ? Unchanged(order, $"cancel already requested; killing attempt {order.Attempt} on {order.Subagent} again", kill)
                    : Apply(order, order with { CancelRequested = true }, now, $"cancel requested; killing attempt {order.Attempt} on {order.Subagent}", kill);
            case OrderState.Cancelled:
                return Unchanged(order, $"order {order.Id} is already Cancelled");
            default:
                return Refused(order, $"order {order.Id} is already {order.State}; there is nothing to cancel");
        }
    }

    /// <summary>The attempt ran longer than the job's timeout: Failed(Timeout) at once, and the process killed.</summary>
    public static OrderStep TimedOut(OrderRecord order, int attempt, TimeSpan timeout, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (StaleReport(order, attempt, order.Epoch) is { } stale)
        {
            return Stale(order, stale);
        }

        var run = $"attempt {attempt} on {order.Subagent}";
        var limit = DurationText.Format(timeout);
        return order.CancelRequested
            ? Apply(order, AsCancelled(order), now, $"cancelled: {run} did not end within the timeout {limit}; killing it", KillOf(order))
            : Apply(order, AsFailed(order, OrderReason.Timeout), now, $"{run} timed out after {limit}; killing it", KillOf(order));
    }

    /// <summary>
    /// <paramref name="subagent"/> was lost (heartbeat timeout, its silo Dead, or its director node failed over). The
    /// order's run there ends: a restartable job goes back to Pending for the next attempt, any other fails with
    /// ProcessLost. A kill is sent too, in case the subagent is still alive and comes back (it also kills its
    /// processes itself once it has lost its director).
    /// </summary>
    public static OrderStep SubagentLost(OrderRecord order, string subagent, bool restartable, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.State != OrderState.Processing || order.Subagent != subagent)
        {
            return Unchanged(order, $"order {order.Id} does not run on {subagent}");
        }

        var run = $"attempt {order.Attempt}";
        var kill = KillOf(order);
        if (order.CancelRequested)
        {
            return Apply(order, AsCancelled(order), now, $"cancelled: subagent {subagent} lost with {run}", kill);
        }

        return restartable
            ? Apply(
                order,
                order with { State = OrderState.Pending, Attempt = order.Attempt + 1, Subagent = null },
                now,
                $"subagent {subagent} lost with {run}; the job is restartable, attempt {order.Attempt + 1} waits for a subagent",
                kill)
            : Apply(order, AsFailed(order, OrderReason.ProcessLost), now, $"subagent {subagent} lost with {run}", kill);
    }

    /// <summary>
    /// A new active director found the attempt still running on <paramref name="subagent"/> and took it over under
    /// <paramref name="epoch"/>. A run the order does not expect (another attempt, or the order moved on) is stale and
    /// its process is killed: an order is never run twice silently.
    /// </summary>
    public static OrderStep Reattach(OrderRecord order, string subagent, int attempt, long epoch, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.State != OrderState.Processing || order.Subagent != subagent || order.Attempt != attempt)
        {
            var expected = order.State == OrderState.Processing ? $"it runs attempt {order.Attempt} on {order.Subagent}" : $"it is {order.State}";
            return Stale(order, $"order {order.Id} does not expect attempt {attempt} on {subagent} ({expected}); killing that process", new KillProcess(subagent, order.Id, attempt));
        }

        var kills = order.CancelRequested ? new[] { KillOf(order) } : [];
        return epoch < order.Epoch ? Stale(order, $"epoch {epoch} is older than order {order.Id}'s epoch {order.Epoch}")
            : epoch == order.Epoch ? Unchanged(order, $"attempt {attempt} on {subagent} already runs under epoch {epoch}", kills)
            : Apply(order, order with { Epoch = epoch }, now, $"attempt {attempt} on {subagent} re-attached under epoch {epoch}", kills);
    }

    /// <summary>
    /// The subagent refused to start the attempt (it had seen a newer fencing token, or it no longer runs there): the
    /// process never ran, so the order goes back to Pending for the same attempt.
    /// </summary>
    public static OrderStep StartRefused(OrderRecord order, string subagent, int attempt, string detail, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.State != OrderState.Processing || order.Subagent != subagent || order.Attempt != attempt)
        {
            return Unchanged(order, $"order {order.Id} does not run attempt {attempt} on {subagent}");
        }

        return order.CancelRequested
            ? Apply(order, AsCancelled(order), now, $"cancelled: {subagent} did not start attempt {attempt} ({detail})")
            : Apply(order, order with { State = OrderState.Pending, Subagent = null }, now, $"{subagent} did not start attempt {attempt} ({detail}); it waits again");
    }

    /// <summary>The order's job is no longer in the topology: a Pending order fails with NoSuchJob; a running one is left to end.</summary>
    public static OrderStep JobMissing(OrderRecord order, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.State == OrderState.Pending
            ? Apply(order, AsFailed(order, OrderReason.NoSuchJob), now, $"job {order.Job} no longer exists")
            : Unchanged(order, $"order {order.Id} is {order.State}, not Pending");
    }

    private static string? StaleReport(OrderRecord order, int attempt, long epoch) =>
        order.State.IsTerminal() ? $"order {order.Id} is already {order.State}"
        : order.State != OrderState.Processing ? $"order {order.Id} is Pending for attempt {order.Attempt}; attempt {attempt} does not run"
        : attempt != order.Attempt ? $"order {order.Id} runs attempt {order.Attempt}, not {attempt}"
        : epoch < order.Epoch ? $"epoch {epoch} is older than order {order.Id}'s epoch {order.Epoch}"
        : null;

    private static KillProcess KillOf(OrderRecord order) => new(order.Subagent!, order.Id, order.Attempt);

    private static OrderRecord AsFailed(OrderRecord order, OrderReason reason) =>
        order with { State = OrderState.Failed, Reason = reason, CancelRequested = false, Waiting = null };

    private static OrderRecord AsCancelled(OrderRecord order) =>
        order with { State = OrderState.Cancelled, Reason = OrderReason.Cancelled, CancelRequested = false, Waiting = null };

    private static OrderStep Apply(OrderRecord order, OrderRecord next, DateTime now, string detail, params OrderCommand[] commands) =>
        new(next with { Updated = now, History = [.. order.History, new(now, next.State, detail)] }, OrderStepResult.Applied, commands, detail);

    private static OrderStep Unchanged(OrderRecord order, string detail, params OrderCommand[] commands) =>
        new(order, OrderStepResult.Unchanged, commands, detail);

    private static OrderStep Stale(OrderRecord order, string detail, params OrderCommand[] commands) =>
        new(order, OrderStepResult.Stale, commands, detail);

    private static OrderStep Refused(OrderRecord order, string detail) => new(order, OrderStepResult.Refused, [], detail);
}
