using System.Text.Json;

namespace Failover.Agents.Topology;

/// <summary>
/// Reads one entity of each kind, checking everything that needs only the entity itself. An entity with errors is
/// still returned, with empty strings for ids and references it could not read, so that the cross-reference checks
/// see it and do not report a second, made-up problem; null only when the element is not an object.
/// </summary>
internal static class SpecReaders
{
    public static AgentClusterSpec? AgentCluster(JsonElement element, string path, TopologyErrors errors)
    {
        var r = JsonObjectReader.Open(element, path, errors, "id", "directors", "heartbeat", "heartbeatTimeout", "requireFailoverConfirmation");
        if (r is null)
        {
            return null;
        }

        var id = Id(r);
        string? primary = null, secondary = null;
        if (r.Get("directors", JsonValueKind.Object, required: true) is { } directors
            && JsonObjectReader.Open(directors, r.PathOf("directors"), errors, "primary", "secondary") is { } d)
        {
            primary = Node(d, "primary");
            secondary = Node(d, "secondary");
            if (primary is not null && primary == secondary)
            {
                errors.Add(d.Path, $"{Quoting.Quote(primary)} is both primary and secondary; the directors need two nodes");
            }
        }

        var heartbeat = r.Duration("heartbeat") ?? AgentClusterSpec.DefaultHeartbeat;
        var timeout = r.Duration("heartbeatTimeout") ?? AgentClusterSpec.DefaultHeartbeatTimeout;
        if (!r.Failed("heartbeat") && !r.Failed("heartbeatTimeout") && timeout <= heartbeat)
        {
            r.Report("heartbeatTimeout", $"{DurationText.Format(timeout)} must be greater than heartbeat {DurationText.Format(heartbeat)}");
        }

        return new AgentClusterSpec
        {
            Id = id,
            PrimaryNode = primary ?? "",
            SecondaryNode = secondary ?? "",
            Heartbeat = heartbeat,
            HeartbeatTimeout = timeout,
            RequireFailoverConfirmation = r.Bool("requireFailoverConfirmation") ?? false,
        };
    }

    public static SubagentSpec? Subagent(JsonElement element, string path, TopologyErrors errors)
    {
        var r = JsonObjectReader.Open(element, path, errors, "id", "agent", "node", "processLimit", "enabled");
        return r is null
            ? null
            : new SubagentSpec
            {
                Id = Id(r),
                Agent = Reference(r, "agent"),
                Node = Node(r, "node") ?? "",
                ProcessLimit = r.Int("processLimit", 1, TopologyLimits.MaxProcessLimit) ?? SubagentSpec.DefaultProcessLimit,
                Enabled = r.Bool("enabled") ?? true,
            };
    }

    public static SubagentClusterSpec? SubagentCluster(JsonElement element, string path, TopologyErrors errors)
    {
        var r = JsonObjectReader.Open(element, path, errors, "id", "agent", "subagents");
        if (r is null)
        {
            return null;
        }

        var id = Id(r);
        var agent = Reference(r, "agent");
        var priorities = new Dictionary<string, int>(StringComparer.Ordinal);
        if (r.Get("subagents", JsonValueKind.Object, required: true) is { } map)
        {
            var count = map.EnumerateObject().Count();
            if (count == 0)
            {
                r.Report("subagents", "names no subagent; give at least one as \"id\": priority");
            }
            else if (count > TopologyLimits.MaxSubagentsPerCluster)
            {
                r.Report("subagents", $"names {count} subagents, at most {TopologyLimits.MaxSubagentsPerCluster} allowed");
            }
            else
            {
                foreach (var (key, value, keyPath) in JsonObjectReader.Entries(map, r.PathOf("subagents"), errors))
                {
                    if (key.Length == 0)
                    {
                        errors.Add(keyPath, "subagent id must not be empty");
                    }
                    else if (JsonObjectReader.Expect(value, JsonValueKind.Number, keyPath, errors)
                        && JsonObjectReader.ReadInt(value, keyPath, int.MinValue, int.MaxValue, errors) is { } priority)
                    {
                        priorities[key] = priority;
                    }
                }
            }
        }

        return new SubagentClusterSpec { Id = id, Agent = agent, Subagents = priorities };
    }

    public static JobSpec? Job(JsonElement element, string path, TopologyErrors errors)
    {
        var r = JsonObjectReader.Open(
            element, path, errors, "id", "agent", "subagentCluster", "command", "args", "env", "workingDirectory", "timeout", "processLimit", "restartable", "builtin");
        if (r is null)
        {
            return null;
        }

        var id = Id(r);
        var agent = Reference(r, "agent");
        var command = r.String("command");
        var builtin = r.String("builtin", maxLength: TopologyLimits.MaxIdLength);
        if (builtin is not null && !BuiltinJobs.Names.Contains(builtin))
        {
            r.Report("builtin", $"{Quoting.Quote(builtin)} is not a builtin job (known: {string.Join(", ", BuiltinJobs.Names.Order(StringComparer.Ordinal))})");
        }

        if (r.Has("command") && r.Has("builtin"))
        {
            errors.Add(path, "give either 'command' or 'builtin', not both");
        }
        else if (!r.Has("command") && !r.Has("builtin"))
        {
            errors.Add(path, "required key 'command' or 'builtin' is missing");
        }

        return new JobSpec
        {
            Id = id,
            Agent = agent,
            SubagentCluster = r.Has("subagentCluster") ? Reference(r, "subagentCluster") : null,
            Command = command,
            Args = Args(r),
            Env = Env(r),
            WorkingDirectory = r.String("workingDirectory"),
            Timeout = r.Duration("timeout"),
            ProcessLimit = r.Int("processLimit", 1, TopologyLimits.MaxProcessLimit),
            Restartable = r.Bool("restartable") ?? false,
            Builtin = builtin,
        };
    }

    public static FileWatchSpec? FileWatch(JsonElement element, string path, TopologyErrors errors)
    {
        var r = JsonObjectReader.Open(element, path, errors, "id", "agent", "directory", "pattern", "job", "delay", "rescan");
        if (r is null)
        {
            return null;
        }

        var id = Id(r);
        var agent = Reference(r, "agent");
        var directory = r.String("directory", required: true);
        if (directory is not null && !ValueRules.IsAbsolutePath(directory))
        {
            r.Report("directory", $"{Quoting.Quote(directory)} is not an absolute path");
        }

        var pattern = r.String("pattern");
        if (pattern is not null && pattern.IndexOfAny(['/', '\\']) >= 0)
        {
            r.Report("pattern", $"{Quoting.Quote(pattern)} must match file names only, without '/' or '\\'");
        }

        return new FileWatchSpec
        {
            Id = id,
            Agent = agent,
            Directory = directory ?? "",
            Pattern = pattern ?? FileWatchSpec.DefaultPattern,
            Job = Reference(r, "job"),
            Delay = r.Duration("delay") ?? FileWatchSpec.DefaultDelay,
            Rescan = r.Duration("rescan") ?? FileWatchSpec.DefaultRescan,
        };
    }

    /// <summary>The id, or "" when missing; a malformed id is reported but kept so references to it still resolve.</summary>
    private static string Id(JsonObjectReader r)
    {
        var id = r.Get("id", JsonValueKind.String, required: true)?.GetString();
        if (id is null)
        {
            return "";
        }

        if (id.Length == 0)
        {
            r.Report("id", "must not be empty");
        }
        else if (!ValueRules.IsValidId(id))
        {
            r.Report("id", $"{Quoting.Quote(id)} is not a valid id (use {ValueRules.IdDescription})");
        }

        return id;
    }

    /// <summary>The id of another entity, or "" when missing; whether it exists is checked later.</summary>
    private static string Reference(JsonObjectReader r, string key) => r.String(key, required: true) ?? "";

    private static string? Node(JsonObjectReader r, string key) => r.String(key, required: true, TopologyLimits.MaxNodeNameLength);

    private static List<string> Args(JsonObjectReader r)
    {
        var args = new List<string>();
        if (r.Get("args", JsonValueKind.Array) is not { } array)
        {
            return args;
        }

        var count = array.GetArrayLength();
        if (count > TopologyLimits.MaxArgs)
        {
            r.Report("args", $"has {count} items, at most {TopologyLimits.MaxArgs} allowed");
            return args;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = JsonPath.Index(r.PathOf("args"), index++);
            if (JsonObjectReader.Expect(item, JsonValueKind.String, itemPath, r.Errors))
            {
                var arg = item.GetString()!;
                if (arg.Length > TopologyLimits.MaxStringLength)
                {
                    r.Errors.Add(itemPath, $"is {arg.Length} characters long, at most {TopologyLimits.MaxStringLength} allowed");
                }

                args.Add(arg);
            }
        }

        return args;
    }

    private static Dictionary<string, string> Env(JsonObjectReader r)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Get("env", JsonValueKind.Object) is not { } map)
        {
            return env;
        }

        var count = map.EnumerateObject().Count();
        if (count > TopologyLimits.MaxEnv)
        {
            r.Report("env", $"has {count} entries, at most {TopologyLimits.MaxEnv} allowed");
            return env;
        }

        foreach (var (name, value, keyPath) in JsonObjectReader.Entries(map, r.PathOf("env"), r.Errors))
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                r.Errors.Add(keyPath, "is not a valid environment variable name (non-empty, without '=')");
            }
            else if (JsonObjectReader.Expect(value, JsonValueKind.String, keyPath, r.Errors))
            {
                var text = value.GetString()!;
                if (text.Length > TopologyLimits.MaxStringLength)
                {
                    r.Errors.Add(keyPath, $"is {text.Length} characters long, at most {TopologyLimits.MaxStringLength} allowed");
                }

                env[name] = text;
            }
        }

        return env;
    }
}
