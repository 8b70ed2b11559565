using System.Collections.Immutable;

namespace Failover.Agents.Topology;

/// <summary>
/// A subagent cluster: the subagents a job may run on, each with a priority. Higher priorities are tried first;
/// equal priorities share the work round-robin.
/// </summary>
public sealed record SubagentClusterSpec
{
    public required string Id { get; init; }

    /// <summary>Id of the agent cluster; every subagent named here belongs to it.</summary>
    public required string Agent { get; init; }

    /// <summary>Subagent id → priority (any integer), in ordinal key order.</summary>
    public required IReadOnlyDictionary<string, int> Subagents
    {
        get;
        init => field = value.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    public bool Equals(SubagentClusterSpec? other) =>
        other is not null
        && Id == other.Id
        && Agent == other.Agent
        && SpecEquality.SameEntries(Subagents, other.Subagents);

    public override int GetHashCode() => HashCode.Combine(Id, Agent, Subagents.Count);
}
