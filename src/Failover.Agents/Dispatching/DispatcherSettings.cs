namespace Failover.Agents.Dispatching;

/// <summary>
/// What a job dispatcher keeps in its grain state besides the orders: the newest director lead it followed (so a
/// re-activated dispatcher still knows which node a fail-over lost), the subagents a user disabled, and the
/// round-robin cursors (written lazily: after a crash round-robin may start over, which is harmless).
/// </summary>
public sealed record DispatcherSettings
{
    public long Epoch { get; init; }

    public string? LeadNode { get; init; }

    public IReadOnlyList<string> Disabled { get; init => field = [.. value.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]; } = [];

    public RoundRobinCursors Cursors { get; init; } = RoundRobinCursors.Empty;
}
