namespace Failover.Agents.Tests.Topology;

internal static class TopologyExamples
{
    /// <summary>DESIGN §6 exactly: its subagent cluster names sub-b and sub-c, which it never defines.</summary>
    public const string Design = """
        {
          "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-b" },
                               "heartbeat": "250ms", "heartbeatTimeout": "1s", "requireFailoverConfirmation": false } ],
          "subagents": [ { "id": "sub-a", "agent": "agent-1", "node": "node-a", "processLimit": 8, "enabled": true } ],
          "subagentClusters": [ { "id": "workers", "agent": "agent-1", "subagents": { "sub-b": 2, "sub-c": 1 } } ],
          "jobs": [ { "id": "hello", "agent": "agent-1", "subagentCluster": "workers", "command": "/bin/echo",
                      "args": ["hello"], "timeout": "30s", "restartable": false },
                    { "id": "nothing", "agent": "agent-1", "subagentCluster": "workers", "builtin": "noop" } ],
          "fileWatches": [ { "id": "inbox", "agent": "agent-1", "directory": "/srv/inbox", "pattern": "*.csv",
                             "job": "hello", "delay": "1s" } ]
        }
        """;

    /// <summary>The DESIGN §6 example with sub-b and sub-c defined (the second with defaults only), plus comments.</summary>
    public const string Full = """
        {
          // the DESIGN example, completed
          "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-b" },
                               "heartbeat": "250ms", "heartbeatTimeout": "1s", "requireFailoverConfirmation": false } ],
          "subagents": [ { "id": "sub-a", "agent": "agent-1", "node": "node-a", "processLimit": 8, "enabled": true },
                         { "id": "sub-b", "agent": "agent-1", "node": "node-b", "processLimit": 2, "enabled": false },
                         { "id": "sub-c", "agent": "agent-1", "node": "node-c" }, ],
          "subagentClusters": [ { "id": "workers", "agent": "agent-1", "subagents": { "sub-b": 2, "sub-c": 1 } } ],
          "jobs": [ { "id": "hello", "agent": "agent-1", "subagentCluster": "workers", "command": "/bin/echo",
                      "args": ["hello"], "timeout": "30s", "restartable": false },
                    { "id": "nothing", "agent": "agent-1", "subagentCluster": "workers", "builtin": "noop" } ],
          "fileWatches": [ { "id": "inbox", "agent": "agent-1", "directory": "/srv/inbox", "pattern": "*.csv",
                             "job": "hello", "delay": "1s" } ]
        }
        """;

    /// <summary>JSON written with single quotes, so that test tables stay readable.</summary>
    public static string J(string singleQuoted) => singleQuoted.Replace('\'', '"');
}
