namespace Failover.Agents.Dispatching;

/// <summary>Another activation of the dispatcher wrote one of its orders: this activation must stop.</summary>
public sealed class StaleDispatcherException(string message) : Exception(message);
