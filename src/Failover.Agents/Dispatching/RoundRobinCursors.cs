namespace Failover.Agents.Dispatching;

/// <summary>The subagent last chosen in one priority group of one candidate set.</summary>
public sealed record RoundRobinCursor(string Set, int Priority, string LastChosen);

/// <summary>
/// Where round-robin goes on in each (candidate set, priority group): the dispatcher keeps and persists it.
/// A cursor is the id last chosen, not an index, so it stays meaningful when subagents are added, removed or
/// unavailable: the next choice is the first available id after it in ordinal order, wrapping around.
/// Only groups of more than one subagent have a cursor.
/// </summary>
public sealed record RoundRobinCursors
{
    public static RoundRobinCursors Empty { get; } = new();

    /// <summary>In (set, priority) order.</summary>
    public IReadOnlyList<RoundRobinCursor> Entries
    {
        get;
        init => field = [.. value.OrderBy(e => e.Set, StringComparer.Ordinal).ThenBy(e => e.Priority)];
    } = [];

    public string? LastChosen(string set, int priority) =>
        Entries.FirstOrDefault(e => e.Set == set && e.Priority == priority)?.LastChosen;

    /// <summary>These cursors with <paramref name="set"/>'s entries kept only for <paramref name="groups"/> (its priorities of more than one subagent).</summary>
    internal RoundRobinCursors Retain(string set, IReadOnlySet<int> groups) =>
        new() { Entries = [.. Entries.Where(e => e.Set != set || groups.Contains(e.Priority))] };

    internal RoundRobinCursors With(string set, int priority, string chosen) =>
        new() { Entries = [.. Entries.Where(e => e.Set != set || e.Priority != priority), new RoundRobinCursor(set, priority, chosen)] };

    public bool Equals(RoundRobinCursors? other) => other is not null && Entries.SequenceEqual(other.Entries);

    public override int GetHashCode() => Entries.Count;
}
