using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Reads a failover agent config file in VOLTTRON's format. Every key is required, no other key is allowed; all problems
/// of a file are reported together on one line (<see cref="FailoverAgentConfigException"/>).
/// </summary>
public static class FailoverAgentConfigParser
{
    public const string AgentIdKey = "agent_id";
    public const string SimpleBehaviorKey = "simple_behavior";
    public const string RemoteVipKey = "remote_vip";
    public const string RemoteServerKeyKey = "remote_serverkey";
    public const string AgentVipIdentityKey = "agent_vip_identity";
    public const string HeartbeatPeriodKey = "heartbeat_period";
    public const string TimeoutKey = "timeout";

    private static readonly string[] s_keys =
        [AgentIdKey, SimpleBehaviorKey, RemoteVipKey, RemoteServerKeyKey, AgentVipIdentityKey, HeartbeatPeriodKey, TimeoutKey];

    /// <summary>Reads and checks the file at <paramref name="path"/>.</summary>
    /// <param name="knownIdentities">The managed agents the silo defines; <c>agent_vip_identity</c> must be one of them.</param>
    public static FailoverAgentConfig ParseFile(string path, IReadOnlySet<string> knownIdentities)
    {
        if (Directory.Exists(path))
        {
            throw new FailoverAgentConfigException($"failover agent config '{path}' is a directory, not a file");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FailoverAgentConfigException($"failover agent config '{path}' cannot be read: {exception.Message}");
        }

        return Parse(path, text, knownIdentities);
    }

    /// <summary>Checks a config's text.</summary>
    /// <param name="hostResolves">Whether a <c>remote_vip</c> host that is not an IP address resolves; asked once, when the
    /// file is read (default: a DNS lookup).</param>
    public static FailoverAgentConfig Parse(string source, string json, IReadOnlySet<string> knownIdentities, Func<string, bool>? hostResolves = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(knownIdentities);
        hostResolves ??= ResolvesByDns;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw Fail(source, [$"not valid JSON: {JsonErrorText.Describe(exception)}"]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Fail(source, ["must hold a JSON object"]);
            }

            var problems = new List<string>();
            var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (Array.IndexOf(s_keys, property.Name) < 0)
                {
                    problems.Add($"unknown key '{property.Name}'");
                }
                else if (!values.TryAdd(property.Name, property.Value.Clone()))
                {
                    problems.Add($"key '{property.Name}' appears twice");
                }
            }

            problems.AddRange(s_keys.Where(k => !values.ContainsKey(k)).Select(k => $"missing key '{k}'"));
            var config = Read(values, knownIdentities, hostResolves, problems, source);
            return problems.Count == 0 ? config! : throw Fail(source, problems);
        }
    }

    private static FailoverAgentConfig? Read(
        Dictionary<string, JsonElement> values, IReadOnlySet<string> identities, Func<string, bool> hostResolves, List<string> problems, string source)
    {
        var agentId = PairRole.Primary;
        if (values.TryGetValue(AgentIdKey, out var agentIdValue))
        {
            switch (agentIdValue.ValueKind == JsonValueKind.String ? agentIdValue.GetString() : null)
            {
                case "primary":
                    agentId = PairRole.Primary;
                    break;
                case "secondary":
                    agentId = PairRole.Secondary;
                    break;
                default:
                    problems.Add($"unknown agent_id {agentIdValue.GetRawText()} (expected \"primary\" or \"secondary\")");
                    break;
            }
        }

        var simple = false;
        if (values.TryGetValue(SimpleBehaviorKey, out var simpleValue))
        {
            if (simpleValue.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                simple = simpleValue.GetBoolean();
            }
            else
            {
                problems.Add($"simple_behavior must be true or false (got {simpleValue.GetRawText()})");
            }
        }

        var (host, port) = ("", 0);
        if (values.TryGetValue(RemoteVipKey, out var vipValue))
        {
            if (!TryParseVip(vipValue.ValueKind == JsonValueKind.String ? vipValue.GetString() : null, out host, out port))
            {
                problems.Add($"remote_vip must be tcp://HOST:PORT with a port from 1 to 65535 (got {vipValue.GetRawText()})");
            }
            else if (!IPAddress.TryParse(host, out _) && !hostResolves(host))
            {
                problems.Add($"remote_vip host '{host}' is not an IP address and does not resolve");
            }
        }

        var serverKey = "";
        if (values.TryGetValue(RemoteServerKeyKey, out var keyValue))
        {
            if (keyValue.ValueKind != JsonValueKind.String)
            {
                problems.Add($"remote_serverkey must be a string (\"\" = unauthenticated; got {keyValue.GetRawText()})");
            }
            else if ((serverKey = keyValue.GetString()!.Trim()).Length > 0 && !SiloKeys.IsPublicKey(serverKey))
            {
                problems.Add("remote_serverkey is not a silo public key (see 'silo show-key')");
            }
        }

        var identity = "";
        if (values.TryGetValue(AgentVipIdentityKey, out var identityValue))
        {
            identity = identityValue.ValueKind == JsonValueKind.String ? identityValue.GetString()!.Trim() : "";
            if (identity.Length == 0)
            {
                problems.Add($"agent_vip_identity must be a non-empty string (got {identityValue.GetRawText()})");
            }
            else if (!identities.Contains(identity))
            {
                problems.Add(identities.Count == 0
                    ? $"unknown agent_vip_identity '{identity}' (the silo's ManagedAgents section defines none)"
                    : $"unknown agent_vip_identity '{identity}' (ManagedAgents defines: {string.Join(", ", identities.Order(StringComparer.Ordinal))})");
            }
        }

        var period = ReadSeconds(values, HeartbeatPeriodKey, problems);
        var timeout = ReadSeconds(values, TimeoutKey, problems);
        if (period is { } p && p < PairTiming.MinHeartbeatPeriod)
        {
            problems.Add($"heartbeat_period ({Seconds(p)}) must be at least {Seconds(PairTiming.MinHeartbeatPeriod)} s");
            period = null;
        }

        if (timeout is { } t && t < PairTiming.MinTimeout)
        {
            problems.Add($"timeout ({Seconds(t)}) must be at least {Seconds(PairTiming.MinTimeout)} s");
            timeout = null;
        }

        if (period is { } p2 && timeout is { } t2 && t2 < p2 * PairTiming.MinHeartbeatsPerTimeout)
        {
            problems.Add($"timeout ({Seconds(t2)}) must be at least twice heartbeat_period ({Seconds(p2)}): one lost heartbeat must not count the peer down");
        }

        return problems.Count > 0
            ? null
            : new FailoverAgentConfig(source, agentId, simple ? PairBehavior.Simple : PairBehavior.Standard, host, port, serverKey, identity, period!.Value, timeout!.Value);
    }

    private static TimeSpan? ReadSeconds(Dictionary<string, JsonElement> values, string key, List<string> problems)
    {
        if (!values.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || double.IsNaN(seconds) || seconds > 86_400 * 365)
        {
            problems.Add($"{key} must be a number of seconds (got {value.GetRawText()})");
            return null;
        }

        if (seconds <= 0 || TimeSpan.FromSeconds(seconds) < TimeSpan.FromMilliseconds(1))
        {
            problems.Add($"{key} must be positive (got {value.GetRawText()})");
            return null;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static bool ResolvesByDns(string host)
    {
        try
        {
            return Dns.GetHostAddresses(host).Length > 0;
        }
        catch (Exception exception) when (exception is SocketException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary><c>tcp://host:port</c>; an IPv6 host in brackets.</summary>
    public static bool TryParseVip(string? vip, out string host, out int port)
    {
        host = "";
        port = 0;
        if (vip is null || !vip.StartsWith("tcp://", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = vip["tcp://".Length..];
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = rest[..colon].Trim('[', ']');
        return host.Length > 0 && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }

    private static FailoverAgentConfigException Fail(string source, IEnumerable<string> problems) =>
        new($"failover agent config '{source}': {string.Join("; ", problems)}");
}
