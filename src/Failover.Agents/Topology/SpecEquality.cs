namespace Failover.Agents.Topology;

/// <summary>Value equality for the collections inside spec records (records compare them by reference).</summary>
internal static class SpecEquality
{
    public static bool SameEntries<TValue>(IReadOnlyDictionary<string, TValue> a, IReadOnlyDictionary<string, TValue> b) =>
        a.Count == b.Count
        && a.All(entry => b.TryGetValue(entry.Key, out var other) && EqualityComparer<TValue>.Default.Equals(entry.Value, other));
}
