namespace Failover.Agents.Orders;

/// <summary>
/// Something the dispatcher must tell a subagent after it persisted the step that asked for it. The dispatcher sends
/// every command with its current fencing token.
/// </summary>
public abstract record OrderCommand(string Subagent, string OrderId, int Attempt);

/// <summary>Start the attempt's process.</summary>
public sealed record StartProcess(string Subagent, string OrderId, int Attempt) : OrderCommand(Subagent, OrderId, Attempt);

/// <summary>Kill the attempt's process (idempotent on the subagent: a process already gone is fine).</summary>
public sealed record KillProcess(string Subagent, string OrderId, int Attempt) : OrderCommand(Subagent, OrderId, Attempt);
