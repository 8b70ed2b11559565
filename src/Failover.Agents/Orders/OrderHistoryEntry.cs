namespace Failover.Agents.Orders;

/// <summary>One accepted transition: the time (UTC), the state after it, and what happened, for people.</summary>
[GenerateSerializer]
[Alias("Failover.OrderHistoryEntry")]
public sealed record OrderHistoryEntry(DateTime Time, OrderState State, string Detail);
