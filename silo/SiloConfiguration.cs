using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Failover.Silo;

/// <summary>
/// Layers the silo's configuration: the --config JSON file, then FAILOVER_* environment variables, then the
/// command line. The file is checked first: it must exist, be JSON, and use only known top-level keys.
/// </summary>
internal static class SiloConfiguration
{
    public const string EnvironmentPrefix = "FAILOVER_";

    private static readonly HashSet<string> s_knownTopLevelKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "Node", "Host", "Port", "GatewayPort", "HttpPort", "Database", "ClusterId", "ServiceId", "DataDirectory",
        "Membership", "RefusedPorts", "GatewayConnections", "Lease", "Messaging", "Reminders", "Agents", "Logging", "ManagedAgents", "FailoverAgents",
    };

    public static void Apply(IConfigurationBuilder configuration, SiloCommandLine commandLine)
    {
        if (commandLine.ConfigFile is { } file)
        {
            CheckFile(file);
            configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables(EnvironmentPrefix);
        configuration.AddInMemoryCollection(commandLine.Settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
    }

    private static void CheckFile(string file)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"config file '{file}' does not exist");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"config file '{file}' must hold a JSON object");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!s_knownTopLevelKeys.Contains(property.Name))
                {
                    throw new UsageException($"config file '{file}': unknown key '{property.Name}' (known: {string.Join(", ", s_knownTopLevelKeys.Order(StringComparer.Ordinal))})");
                }
            }
        }
        catch (JsonException exception)
        {
            throw new UsageException($"config file '{file}' is not valid JSON: {Failover.Agents.JsonErrorText.Describe(exception)}");
        }
    }
}
