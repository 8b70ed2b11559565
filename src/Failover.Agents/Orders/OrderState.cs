using System.Text.Json.Serialization;

namespace Failover.Agents.Orders;

/// <summary>Where an order is: <c>Pending → Processing → Finished | Failed | Cancelled</c>. Written by name in JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderState>))]
public enum OrderState
{
    /// <summary>Accepted and durable; waits for a subagent.</summary>
    Pending,

    /// <summary>An attempt runs on a subagent.</summary>
    Processing,

    /// <summary>The process exited with code 0.</summary>
    Finished,

    /// <summary>Ended without success; <see cref="OrderRecord.Reason"/> says why.</summary>
    Failed,

    /// <summary>A user cancelled it (a running process was killed first).</summary>
    Cancelled,
}

public static class OrderStates
{
    /// <summary>Finished, Failed and Cancelled never change again.</summary>
    public static bool IsTerminal(this OrderState state) => state is OrderState.Finished or OrderState.Failed or OrderState.Cancelled;
}
