namespace Failover.Agents.Orders;

public enum OrderStepResult
{
    /// <summary>The transition was accepted: persist <see cref="OrderStep.Order"/>, then send the commands.</summary>
    Applied,

    /// <summary>Nothing to change (e.g. a repeated cancel); commands may still be re-sent.</summary>
    Unchanged,

    /// <summary>A report of an older attempt or epoch, or about an order that has moved on: ignored.</summary>
    Stale,

    /// <summary>The input is not valid in the order's state; <see cref="OrderStep.Detail"/> says why.</summary>
    Refused,
}

/// <summary>The outcome of one input to <see cref="OrderMachine"/>, like the director cluster's step.</summary>
public sealed record OrderStep(OrderRecord Order, OrderStepResult Result, IReadOnlyList<OrderCommand> Commands, string? Detail = null)
{
    public bool Changed => Result == OrderStepResult.Applied;
}
