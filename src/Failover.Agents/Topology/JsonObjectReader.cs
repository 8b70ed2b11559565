using System.Text.Json;

namespace Failover.Agents.Topology;

/// <summary>
/// Reads the fields of one JSON object of the topology file, reporting unknown and repeated keys, wrong types and
/// missing required keys to <see cref="TopologyErrors"/>. A getter returns null when the key is absent (or null) or
/// its value was reported; <see cref="Failed"/> tells the two apart.
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    private readonly TopologyErrors _errors;

    private JsonObjectReader(string path, TopologyErrors errors)
    {
        Path = path;
        _errors = errors;
    }

    public string Path { get; }

    public TopologyErrors Errors => _errors;

    /// <summary>Null (after reporting) when <paramref name="element"/> is not an object.</summary>
    public static JsonObjectReader? Open(JsonElement element, string path, TopologyErrors errors, params string[] keys)
    {
        if (!Expect(element, JsonValueKind.Object, path, errors))
        {
            return null;
        }

        var reader = new JsonObjectReader(path, errors);
        foreach (var (key, value, keyPath) in Entries(element, path, errors))
        {
            if (keys.Contains(key, StringComparer.Ordinal))
            {
                reader._fields[key] = value;
            }
            else
            {
                errors.Add(keyPath, $"unknown key (expected one of {string.Join(", ", keys)})");
            }
        }

        return reader;
    }

    /// <summary>The entries of a JSON object used as a map; a repeated key is reported and its later values skipped.</summary>
    public static IEnumerable<(string Key, JsonElement Value, string Path)> Entries(JsonElement obj, string path, TopologyErrors errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            var keyPath = JsonPath.Key(path, property.Name);
            if (!seen.Add(property.Name))
            {
                errors.Add(keyPath, "key appears more than once");
                continue;
            }

            yield return (property.Name, property.Value, keyPath);
        }
    }

    public static bool Expect(JsonElement element, JsonValueKind kind, string path, TopologyErrors errors)
    {
        if (element.ValueKind == kind)
        {
            return true;
        }

        errors.Add(path, $"expected {JsonPath.Describe(kind)}, found {JsonPath.Describe(element.ValueKind)}");
        return false;
    }

    public string PathOf(string key) => JsonPath.Key(Path, key);

    public bool Failed(string key) => _errors.Failed(PathOf(key));

    /// <summary>Whether the key is there with a value other than null.</summary>
    public bool Has(string key) => _fields.TryGetValue(key, out var value) && value.ValueKind != JsonValueKind.Null;

    public void Report(string key, string reason) => _errors.Add(PathOf(key), reason);

    /// <summary>The value of <paramref name="key"/> if it is there and of <paramref name="kind"/>.</summary>
    public JsonElement? Get(string key, JsonValueKind kind, bool required = false)
    {
        if (!Has(key))
        {
            if (required)
            {
                _errors.Add(Path, $"required key '{key}' is missing");
            }

            return null;
        }

        var value = _fields[key];
        return Expect(value, kind, PathOf(key), _errors) ? value : null;
    }

    /// <summary>A string of at most <paramref name="maxLength"/> characters; empty or blank strings are reported.</summary>
    public string? String(string key, bool required = false, int maxLength = TopologyLimits.MaxStringLength)
    {
        var text = Get(key, JsonValueKind.String, required)?.GetString();
        if (text is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            Report(key, "must not be empty");
            return null;
        }

        if (text.Length > maxLength)
        {
            Report(key, $"is {text.Length} characters long, at most {maxLength} allowed");
            return null;
        }

        return text;
    }

    public bool? Bool(string key)
    {
        if (!Has(key))
        {
            return null;
        }

        var value = _fields[key];
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Report(key, $"expected a boolean, found {JsonPath.Describe(value.ValueKind)}");
        return null;
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue) =>
        ReadInt(Get(key, JsonValueKind.Number), PathOf(key), min, max, _errors);

    public TimeSpan? Duration(string key)
    {
        var text = Get(key, JsonValueKind.String)?.GetString();
        if (text is null)
        {
            return null;
        }

        if (DurationText.TryParse(text, out var value, out var error))
        {
            return value;
        }

        Report(key, error!);
        return null;
    }

    public static int? ReadInt(JsonElement? element, string path, int min, int max, TopologyErrors errors)
    {
        if (element is not { } number)
        {
            return null;
        }

        if (!number.TryGetInt32(out var value))
        {
            errors.Add(path, $"expected an integer, found {number.GetRawText()}");
            return null;
        }

        if (value < min || value > max)
        {
            errors.Add(path, max == int.MaxValue ? $"must be at least {min}, found {value}" : $"must be between {min} and {max}, found {value}");
            return null;
        }

        return value;
    }
}
