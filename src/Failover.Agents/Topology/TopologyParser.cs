using System.Text.Json;

namespace Failover.Agents.Topology;

/// <summary>
/// Reads a topology file (JSON; comments and trailing commas allowed) and validates it as a whole. Either every
/// check passes and a <see cref="TopologyDocument"/> comes back, or a <see cref="TopologyException"/> lists every
/// problem found, one line each.
/// </summary>
public static class TopologyParser
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <exception cref="TopologyException">The text is not a valid topology.</exception>
    public static TopologyDocument Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > TopologyLimits.MaxDocumentChars)
        {
            throw new TopologyException([$"topology: {json.Length} characters, at most {TopologyLimits.MaxDocumentChars} allowed"]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new TopologyException([$"topology: not valid JSON ({JsonErrorText.Describe(e)})"]);
        }

        using (document)
        {
            var errors = new TopologyErrors();
            var parsed = Read(document.RootElement, errors);
            if (parsed is not null)
            {
                ReferenceChecks.Run(parsed, errors);
            }

            if (errors.Count > 0 || parsed is null)
            {
                throw new TopologyException(errors.Lines);
            }

            // What is stored and sent to every silo is the canonical form (indented, defaults written out), which can
            // be longer than a compact file: it must pass this same check when it is read back.
            var result = parsed.ToDocument();
            var canonical = result.ToCanonicalJson().Length;
            return canonical <= TopologyLimits.MaxDocumentChars
                ? result
                : throw new TopologyException([
                    $"topology: {canonical} characters once written out in canonical form (indented, defaults filled in), at most {TopologyLimits.MaxDocumentChars} allowed"]);
        }
    }

    private static ParsedTopology? Read(JsonElement root, TopologyErrors errors)
    {
        var r = JsonObjectReader.Open(root, "", errors, "agentClusters", "subagents", "subagentClusters", "jobs", "fileWatches");
        return r is null
            ? null
            : new ParsedTopology(
                List(r, "agentClusters", SpecReaders.AgentCluster),
                List(r, "subagents", SpecReaders.Subagent),
                List(r, "subagentClusters", SpecReaders.SubagentCluster),
                List(r, "jobs", SpecReaders.Job),
                List(r, "fileWatches", SpecReaders.FileWatch));
    }

    private static List<(int Index, T Spec)> List<T>(
        JsonObjectReader root, string key, Func<JsonElement, string, TopologyErrors, T?> read)
        where T : class
    {
        var items = new List<(int, T)>();
        if (root.Get(key, JsonValueKind.Array) is not { } array)
        {
            return items;
        }

        var count = array.GetArrayLength();
        if (count > TopologyLimits.MaxListEntries)
        {
            root.Report(key, $"has {count} entries, at most {TopologyLimits.MaxListEntries} allowed");
            return items;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (read(element, JsonPath.Index(root.PathOf(key), index), root.Errors) is { } spec)
            {
                items.Add((index, spec));
            }

            index++;
        }

        return items;
    }
}
