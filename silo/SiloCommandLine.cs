using System.Globalization;

namespace Failover.Silo;

internal enum SiloVerb
{
    Run,
    InitDb,
    Stop,
    ShowKey,
    Help,
}

/// <summary>
/// The silo's command line. Only known options are accepted — a typo must not be silently ignored the way the
/// generic .NET command-line configuration provider would. Each option maps to the configuration key of the same name.
/// </summary>
internal sealed record SiloCommandLine(SiloVerb Verb, IReadOnlyDictionary<string, string> Settings, string? ConfigFile)
{
    /// <summary><c>silo stop --fail-over</c>: the stopped silo's director roles fail over as after a crash.</summary>
    public bool FailOver { get; init; }

    public const string Usage = """
        usage: silo [run] --node NAME [--port N] [--gateway-port N] [--http-port N] [--host ADDRESS] [--database DB] [--cluster-id ID] [--service-id ID] [--data-directory DIR] [--config FILE]
               silo init-db [--database DB] [--config FILE]
               silo stop --node NAME [--fail-over] [--database DB] [--cluster-id ID] [--config FILE]
               silo show-key [--data-directory DIR] [--database DB] [--config FILE]   the public key for a peer's remote_serverkey
          --port is the Orleans silo port (default 11111); clients connect to --gateway-port (default --port + 1)
          --host is the IP address other silos and clients reach this silo at (default 127.0.0.1)
          DB is sqlite:PATH (default sqlite:./data/cluster.db) or postgres:CONNECTION_STRING
        """;

    private static readonly Dictionary<string, string> s_optionKeys = new(StringComparer.Ordinal)
    {
        ["--node"] = "Node",
        ["--port"] = "Port",
        ["--gateway-port"] = "GatewayPort",
        ["--http-port"] = "HttpPort",
        ["--host"] = "Host",
        ["--database"] = "Database",
        ["--cluster-id"] = "ClusterId",
        ["--service-id"] = "ServiceId",
        ["--data-directory"] = "DataDirectory",
    };

    public static SiloCommandLine Parse(IReadOnlyList<string> args)
    {
        var verb = SiloVerb.Run;
        var index = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            verb = args[0] switch
            {
                "run" => SiloVerb.Run,
                "init-db" => SiloVerb.InitDb,
                "stop" => SiloVerb.Stop,
                "show-key" => SiloVerb.ShowKey,
                "help" => SiloVerb.Help,
                _ => throw new UsageException($"unknown command '{args[0]}' (expected run, init-db, stop or show-key)"),
            };
            index = 1;
        }

        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? configFile = null;
        var failOver = false;
        for (; index < args.Count; index++)
        {
            var argument = args[index];
            if (argument is "--help" or "-h")
            {
                return new SiloCommandLine(SiloVerb.Help, settings, null);
            }

            if (argument == "--fail-over")
            {
                failOver = verb == SiloVerb.Stop ? true : throw new UsageException("option --fail-over belongs to 'silo stop'");
                continue;
            }

            var (name, inlineValue) = SplitOption(argument);
            if (name != "--config" && !s_optionKeys.ContainsKey(name))
            {
                throw new UsageException($"unknown option '{name}'");
            }

            var value = inlineValue
                ?? (index + 1 < args.Count && !args[index + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++index]
                    : throw new UsageException($"option {name} needs a value"));
            if (value.Length == 0)
            {
                throw new UsageException($"option {name} needs a non-empty value");
            }

            if (name == "--config")
            {
                configFile = value;
                continue;
            }

            if (name is "--port" or "--gateway-port" or "--http-port")
            {
                ValidatePort(name, value);
            }

            settings[s_optionKeys[name]] = value;
        }

        if (verb == SiloVerb.Stop && !settings.ContainsKey("Node"))
        {
            throw new UsageException("silo stop needs --node NAME (the node whose silo to stop)");
        }

        return new SiloCommandLine(verb, settings, configFile) { FailOver = failOver };
    }

    private static (string Name, string? Value) SplitOption(string argument)
    {
        if (!argument.StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"unexpected argument '{argument}'");
        }

        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (argument, null) : (argument[..equals], argument[(equals + 1)..]);
    }

    private static void ValidatePort(string option, string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"{option} must be an integer from 1 to 65535 (got '{value}')");
        }
    }
}
