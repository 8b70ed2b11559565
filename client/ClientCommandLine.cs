using Failover.Storage;

namespace Failover.Client;

/// <summary>
/// <c>client [--database DB] [--cluster-id ID] [--json] COMMAND [ARGS]</c>. Global options may stand before or after
/// the command. Defaults come from FAILOVER_DATABASE and FAILOVER_CLUSTERID, then the silo's defaults.
/// </summary>
internal sealed record ClientCommandLine(string Command, IReadOnlyList<string> Arguments, DatabaseLocation Database, string ClusterId, bool Json)
{
    /// <summary>The service whose events and grain state to read (FAILOVER_SERVICEID, default "default").</summary>
    public string ServiceId { get; init; } = "default";

    public const string Usage = """
        usage: client [--database DB] [--cluster-id ID] [--service-id ID] [--json] COMMAND
          members                        the membership table: silos, their status and IAmAlive age
          apply -f FILE                  validate a topology file and apply it to the cluster
          agents                         director agent clusters: state, active and standby, epoch, heartbeats
          switch-over AGENT              hand the active role of a coupled agent cluster to its standby
          confirm-loss AGENT INSTANCE    confirm that INSTANCE (primary|secondary) is lost, so the other takes over
          submit JOB [--arg K=V]... [--id ID] [--wait]
                                         add an order (idempotent by id); --wait shows its progress, exit 1 unless Finished
          orders [--state S] [--job J] [--limit N]
                                         orders, oldest first
          order ID                       one order with its history and output tail
          cancel ID                      cancel an order (a running process is killed)
          subagents                      subagents: node, enabled, available, running
          enable SUBAGENT | disable SUBAGENT
                                         let a subagent take new orders, or not (running ones finish)
          events [--agent A] [--limit N] what the agent clusters did, oldest first
          failover-pairs                 failover agent pairs: each side's view, its decision, where the managed agent runs
          DB is sqlite:PATH (default sqlite:./data/cluster.db) or postgres:CONNECTION_STRING
        """;

    public static ClientCommandLine Parse(IReadOnlyList<string> args)
    {
        string? database = Environment.GetEnvironmentVariable("FAILOVER_DATABASE");
        var clusterId = Environment.GetEnvironmentVariable("FAILOVER_CLUSTERID") ?? "default";
        var serviceId = Environment.GetEnvironmentVariable("FAILOVER_SERVICEID") ?? "default";
        var json = false;
        string? command = null;
        var arguments = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            switch (argument)
            {
                case "--json":
                    json = true;
                    break;
                case "--database":
                    database = NextValue(args, ref i, argument);
                    break;
                case "--cluster-id":
                    clusterId = NextValue(args, ref i, argument);
                    break;
                case "--service-id":
                    serviceId = NextValue(args, ref i, argument);
                    break;
                case "--help" or "-h":
                    return new ClientCommandLine("help", [], DatabaseLocation.Parse(DatabaseLocation.Default), clusterId, json);
                default:
                    if (argument.StartsWith("--database=", StringComparison.Ordinal))
                    {
                        database = argument["--database=".Length..];
                    }
                    else if (argument.StartsWith("--cluster-id=", StringComparison.Ordinal))
                    {
                        clusterId = argument["--cluster-id=".Length..];
                    }
                    else if (command is null && !argument.StartsWith('-'))
                    {
                        command = argument;
                    }
                    else
                    {
                        arguments.Add(argument);
                    }

                    break;
            }
        }

        if (command is null)
        {
            throw new UsageException("no command given");
        }

        DatabaseLocation location;
        try
        {
            location = DatabaseLocation.Parse(database ?? DatabaseLocation.Default);
        }
        catch (FormatException exception)
        {
            throw new UsageException(exception.Message);
        }

        if (string.IsNullOrWhiteSpace(clusterId))
        {
            throw new UsageException("--cluster-id needs a non-empty value");
        }

        if (string.IsNullOrWhiteSpace(serviceId))
        {
            throw new UsageException("--service-id needs a non-empty value");
        }

        return new ClientCommandLine(command, arguments, location, clusterId, json) { ServiceId = serviceId };
    }

    private static string NextValue(IReadOnlyList<string> args, ref int index, string option) =>
        index + 1 < args.Count && args[index + 1].Length > 0
            ? args[++index]
            : throw new UsageException($"option {option} needs a value");
}
