using System.Text.Json;

namespace Failover.Agents.Topology;

/// <summary>Locations in the topology file as error lines name them: <c>jobs[1].env.HOME</c>.</summary>
internal static class JsonPath
{
    public static string Key(string parent, string key)
    {
        // Keys that would read ambiguously after a dot (ids may contain dots) are quoted.
        var plain = key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        var segment = plain ? key : $"[{JsonSerializer.Serialize(key)}]";
        return parent.Length == 0 ? segment : plain ? $"{parent}.{segment}" : parent + segment;
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>"an object", "a string", … for "expected X, found Y".</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
