using System.Text.RegularExpressions;

namespace Failover.Silo;

/// <summary>
/// Turns the configuration binder's complaint about keys an options class does not have into the operator's words:
/// the section and the keys, as they were written in the configuration.
/// </summary>
internal static partial class UnknownKeys
{
    private static readonly Dictionary<string, string> s_sections = new(StringComparer.Ordinal)
    {
        ["ClusterMembershipOptions"] = "Membership",
        ["NodeLeaseOptions"] = "Lease",
        ["RefusedPortOptions"] = "RefusedPorts",
        ["GatewayConnectionOptions"] = "GatewayConnections",
        ["ReminderOptions"] = "Reminders",
        ["SiloMessagingOptions"] = "Messaging",
        ["AgentOptions"] = "Agents",
    };

    public static string? Describe(string message)
    {
        var match = BinderComplaint().Match(message);
        if (!match.Success)
        {
            return null;
        }

        var type = match.Groups["type"].Value;
        var section = s_sections.GetValueOrDefault(type[(type.LastIndexOf('.') + 1)..]);
        var keys = match.Groups["keys"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => k.Trim('\''));
        var qualified = keys.Select(k => section is null ? k : $"{section}:{k}");
        return $"unknown key {string.Join(", ", qualified)}";
    }

    [GeneratedRegex("ErrorOnUnknownConfiguration.*not found on the instance of (?<type>[\\w.]+): (?<keys>.+)$")]
    private static partial Regex BinderComplaint();
}
