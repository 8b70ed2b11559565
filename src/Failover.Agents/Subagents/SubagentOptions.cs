namespace Failover.Agents.Subagents;

/// <summary>How this silo's subagents behave (configured from <c>Agents:SubagentSelfFencing</c>).</summary>
public sealed class SubagentOptions
{
    /// <summary>A subagent kills its runs once none of its dispatchers has had an active director for this long; null = never.</summary>
    public TimeSpan? SelfFencing { get; set; }
}
