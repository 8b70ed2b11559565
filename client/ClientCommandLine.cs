using Failover.Storage;

namespace Failover.Client;

/// <summary>
/// What every command gets from the global options <c>--database DB</c>, <c>--cluster-id ID</c>, <c>--service-id ID</c>
/// and <c>--json</c> (they may stand before or after the command). Defaults come from FAILOVER_DATABASE,
/// FAILOVER_CLUSTERID and FAILOVER_SERVICEID, then the silo's defaults. <see cref="ClientCli"/> builds it.
/// </summary>
internal sealed record ClientCommandLine(DatabaseLocation Database, string ClusterId, bool Json)
{
    /// <summary>The service whose events and grain state to read (FAILOVER_SERVICEID, default "default").</summary>
    public string ServiceId { get; init; } = "default";

    public const string Usage = """
        usage: client [--database DB] [--cluster-id ID] [--service-id ID] [--json] COMMAND
          members                        the membership table: silos, their status and IAmAlive age
          apply -f FILE [--force]        validate a topology file and apply it to the cluster; --force removes agent
                                         clusters that still run orders (those orders fail)
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
          Options take their value as '--option VALUE' or '--option=VALUE'; 'client COMMAND --help' describes a command.
          Exit codes: 0 done, 1 failed or refused, 2 bad usage, 130 interrupted.
        """;
}
