namespace Failover.Agents.Dispatching;

/// <summary>
/// The outcome of <see cref="SubagentSelector.Select"/>: the chosen <see cref="Subagent"/>, or the
/// <see cref="Reason"/> none is available (for people: the order shows it while it waits). <see cref="Cursors"/> are
/// the round-robin cursors to keep from now on.
/// </summary>
public sealed record SubagentSelection(string? Subagent, string? Reason, RoundRobinCursors Cursors)
{
    public bool Found => Subagent is not null;

    internal static SubagentSelection Chosen(string subagent, RoundRobinCursors cursors) => new(subagent, null, cursors);

    internal static SubagentSelection None(string reason, RoundRobinCursors cursors) => new(null, reason, cursors);
}
