using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Failover.Agents.Topology;

/// <summary>
/// Writes a document in its canonical form. Each entity becomes a <see cref="JsonObject"/> whose keys are the
/// file's keys in DESIGN order; <see cref="TopologyDiff"/> compares entities through the same objects, so a field
/// can never be in the file but missing from the diff.
/// </summary>
internal static class CanonicalJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Not embedded in HTML; keeps commands and patterns readable ("a'b" instead of "a\u0027b").
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(TopologyDocument document)
    {
        var root = new JsonObject
        {
            ["agentClusters"] = List(document.AgentClusters, c => c.Id, Entity),
            ["subagents"] = List(document.Subagents, s => s.Id, Entity),
            ["subagentClusters"] = List(document.SubagentClusters, c => c.Id, Entity),
            ["jobs"] = List(document.Jobs, j => j.Id, Entity),
            ["fileWatches"] = List(document.FileWatches, w => w.Id, Entity),
        };
        return root.ToJsonString(Options) + "\n";
    }

    public static JsonObject Entity(AgentClusterSpec c) => new()
    {
        ["id"] = c.Id,
        ["directors"] = new JsonObject { ["primary"] = c.PrimaryNode, ["secondary"] = c.SecondaryNode },
        ["heartbeat"] = DurationText.Format(c.Heartbeat),
        ["heartbeatTimeout"] = DurationText.Format(c.HeartbeatTimeout),
        ["requireFailoverConfirmation"] = c.RequireFailoverConfirmation,
    };

    public static JsonObject Entity(SubagentSpec s) => new()
    {
        ["id"] = s.Id,
        ["agent"] = s.Agent,
        ["node"] = s.Node,
        ["processLimit"] = s.ProcessLimit,
        ["enabled"] = s.Enabled,
    };

    public static JsonObject Entity(SubagentClusterSpec c) => new()
    {
        ["id"] = c.Id,
        ["agent"] = c.Agent,
        ["subagents"] = Map(c.Subagents, p => JsonValue.Create(p)),
    };

    public static JsonObject Entity(JobSpec j)
    {
        var o = new JsonObject { ["id"] = j.Id, ["agent"] = j.Agent };
        AddIfSet(o, "subagentCluster", j.SubagentCluster);
        AddIfSet(o, "command", j.Command);
        AddIfSet(o, "builtin", j.Builtin);
        o["args"] = new JsonArray([.. j.Args.Select(a => (JsonNode?)JsonValue.Create(a))]);
        o["env"] = Map(j.Env, v => JsonValue.Create(v));
        AddIfSet(o, "workingDirectory", j.WorkingDirectory);
        AddIfSet(o, "timeout", j.Timeout is { } t ? DurationText.Format(t) : null);
        if (j.ProcessLimit is { } limit)
        {
            o["processLimit"] = limit;
        }

        o["restartable"] = j.Restartable;
        return o;
    }

    public static JsonObject Entity(FileWatchSpec w) => new()
    {
        ["id"] = w.Id,
        ["agent"] = w.Agent,
        ["directory"] = w.Directory,
        ["pattern"] = w.Pattern,
        ["job"] = w.Job,
        ["delay"] = DurationText.Format(w.Delay),
        ["rescan"] = DurationText.Format(w.Rescan),
    };

    private static JsonArray List<T>(IEnumerable<T> items, Func<T, string> id, Func<T, JsonObject> entity) =>
        new([.. items.OrderBy(id, StringComparer.Ordinal).Select(i => (JsonNode?)entity(i))]);

    private static JsonObject Map<T>(IReadOnlyDictionary<string, T> map, Func<T, JsonNode?> value)
    {
        var o = new JsonObject();
        foreach (var (key, v) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            o[key] = value(v);
        }

        return o;
    }

    private static void AddIfSet(JsonObject o, string key, string? value)
    {
        if (value is not null)
        {
            o[key] = value;
        }
    }
}
