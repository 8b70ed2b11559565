using System.Text.Json;
using System.Text.Json.Nodes;

namespace Failover.Agents.Topology;

/// <summary>What applying a topology changes, for <c>client apply</c> to print.</summary>
public static class TopologyDiff
{
    /// <summary>
    /// One line per added, removed or changed entity, by kind (in file order) then id, e.g.
    /// <c>agent cluster agent-1: heartbeat 250ms -> 100ms</c>, <c>job hello: added</c>. Empty when nothing changes.
    /// Fields are named by their file keys; a field without a value shows as <c>(none)</c>.
    /// </summary>
    public static IReadOnlyList<string> Describe(TopologyDocument old, TopologyDocument @new)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        return
        [
            .. Kind("agent cluster", old.AgentClusters, @new.AgentClusters, c => c.Id, CanonicalJson.Entity),
            .. Kind("subagent", old.Subagents, @new.Subagents, s => s.Id, CanonicalJson.Entity),
            .. Kind("subagent cluster", old.SubagentClusters, @new.SubagentClusters, c => c.Id, CanonicalJson.Entity),
            .. Kind("job", old.Jobs, @new.Jobs, j => j.Id, CanonicalJson.Entity),
            .. Kind("file watch", old.FileWatches, @new.FileWatches, w => w.Id, CanonicalJson.Entity),
        ];
    }

    private static IEnumerable<string> Kind<T>(
        string kind, IReadOnlyList<T> old, IReadOnlyList<T> @new, Func<T, string> id, Func<T, JsonObject> json)
    {
        var before = old.ToDictionary(id, StringComparer.Ordinal);
        var after = @new.ToDictionary(id, StringComparer.Ordinal);
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var line = (before.TryGetValue(key, out var was), after.TryGetValue(key, out var now)) switch
            {
                (false, _) => "added",
                (_, false) => "removed",
                _ => Changes(Flatten(json(was!)), Flatten(json(now!))),
            };
            if (line.Length > 0)
            {
                yield return $"{kind} {key}: {line}";
            }
        }
    }

    private static string Changes(OrderedDictionary<string, string> before, OrderedDictionary<string, string> after) =>
        string.Join(", ", before.Keys.Union(after.Keys)
            .Select(field => (field, was: before.GetValueOrDefault(field, "(none)"), now: after.GetValueOrDefault(field, "(none)")))
            .Where(c => c.was != c.now)
            .Select(c => $"{c.field} {Quoting.Escape(c.was)} -> {Quoting.Escape(c.now)}"));

    /// <summary>Field path (<c>directors.primary</c>, <c>env.HOME</c>) → value text, in canonical key order.</summary>
    private static OrderedDictionary<string, string> Flatten(JsonObject entity)
    {
        var fields = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        Add(entity, "", fields);
        return fields;

        static void Add(JsonObject o, string prefix, OrderedDictionary<string, string> fields)
        {
            foreach (var (key, value) in o)
            {
                var path = prefix.Length == 0 ? key : JsonPath.Key(prefix, key);
                if (value is JsonObject nested)
                {
                    Add(nested, path, fields);
                }
                else
                {
                    fields[path] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                        ? v.GetValue<string>()
                        : value?.ToJsonString() ?? "null";
                }
            }
        }
    }
}
