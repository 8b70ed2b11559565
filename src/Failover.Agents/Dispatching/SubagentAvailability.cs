namespace Failover.Agents.Dispatching;

/// <summary>
/// What the dispatcher knows about a subagent now: enabled (topology and <c>client enable/disable</c> together),
/// heartbeating within its timeout, and how many processes it runs against its limit.
/// </summary>
public sealed record SubagentAvailability(bool Enabled, bool Heartbeating, int Running, int ProcessLimit)
{
    /// <summary>Why the subagent cannot take a process now (<c>disabled</c>, <c>not heartbeating</c>, <c>at its limit 8</c>), or null when it can.</summary>
    public string? Unavailable() =>
        !Enabled ? "disabled"
        : !Heartbeating ? "not heartbeating"
        : Running >= ProcessLimit ? $"at its limit {ProcessLimit}"
        : null;
}
