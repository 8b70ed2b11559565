namespace Failover.Agents.Orders;

/// <summary>An order without its arguments and history: one row of <c>client orders --json</c>.</summary>
public sealed record OrderSummary(
    string Id,
    string Job,
    OrderState State,
    string? Subagent,
    int Attempt,
    OrderReason? Reason,
    int? ExitCode,
    DateTime Created,
    DateTime Updated)
{
    public static OrderSummary From(OrderRecord order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(order.Id, order.Job, order.State, order.Subagent, order.Attempt, order.Reason, order.ExitCode, order.Created, order.Updated);
    }
}
