namespace Failover.Agents.Dispatching;

/// <summary>A subagent a job may run on, with its priority: higher priorities are tried first.</summary>
public sealed record SubagentCandidate(string Id, int Priority);
