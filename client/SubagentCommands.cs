using System.Globalization;
using System.Text.Json;
using Failover.Agents.Dispatching;

namespace Failover.Client;

/// <summary>
/// <c>client subagents</c>, <c>enable SUBAGENT</c> and <c>disable SUBAGENT</c>. A subagent may serve several dispatchers
/// (one per subagent cluster it is in): it shows as available when one of them can use it, and enable/disable reach all.
/// </summary>
internal static class SubagentCommands
{
    public static async Task<int> ListAsync(ClientCommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        _ = new CommandArguments("subagents", commandLine.Arguments, [], 0);
        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var topology = await AgentsCommand.ReadTopologyAsync(client, cancellationToken);
        var seen = new Dictionary<string, List<SubagentStatus>>(StringComparer.Ordinal);
        foreach (var key in topology.AgentClusters.SelectMany(a => DispatcherKeys.OfAgent(topology, a.Id)).Distinct(StringComparer.Ordinal))
        {
            var status = await client.GetGrain<IJobDispatcherGrain>(key).GetStatus().WaitAsync(cancellationToken);
            foreach (var subagent in status.Subagents)
            {
                (seen.TryGetValue(subagent.Id, out var list) ? list : seen[subagent.Id] = []).Add(subagent);
            }
        }

        var rows = topology.Subagents.Select(spec =>
        {
            var views = seen.GetValueOrDefault(spec.Id) ?? [];
            return new
            {
                id = spec.Id,
                agent = spec.Agent,
                node = spec.Node,
                enabled = views.Count == 0 ? spec.Enabled : views.All(v => v.Enabled),
                available = views.Any(v => v.Available),
                running = views.Sum(v => v.Running),
                processLimit = spec.ProcessLimit,
                lastHeartbeatAgeMs = views.Min(v => v.LastHeardAgeMs),
                unavailable = views.Any(v => v.Available) ? null : views.Select(v => v.Unavailable).FirstOrDefault(u => u is not null) ?? "used by no job",
            };
        }).ToList();
        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, ClusterConnection.Json));
            return 0;
        }

        if (rows.Count == 0)
        {
            await output.WriteLineAsync("No subagents: apply a topology with 'client apply -f FILE'.");
            return 0;
        }

        var table = new TableWriter("SUBAGENT", "AGENT", "NODE", "ENABLED", "AVAILABLE", "RUNNING", "HEARD");
        foreach (var row in rows)
        {
            table.AddRow(
                row.id, row.agent, row.node, row.enabled ? "yes" : "no", row.available ? "yes" : $"no ({row.unavailable})",
                $"{row.running}/{row.processLimit}", row.lastHeartbeatAgeMs is { } age ? $"{age.ToString(CultureInfo.InvariantCulture)} ms ago" : "never");
        }

        table.WriteTo(output);
        return 0;
    }

    public static async Task<int> SetEnabledAsync(ClientCommandLine commandLine, bool enabled, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var command = enabled ? "enable" : "disable";
        var arguments = new CommandArguments(command, commandLine.Arguments, [], 1);
        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var topology = await AgentsCommand.ReadTopologyAsync(client, cancellationToken);
        var spec = topology.FindSubagent(arguments.Positional[0])
            ?? throw new UsageException($"{command}: there is no subagent '{arguments.Positional[0]}' in the topology (known: {string.Join(", ", topology.Subagents.Select(s => s.Id).DefaultIfEmpty("none"))})");
        var keys = DispatcherKeys.OfSubagent(topology, spec);
        if (keys.Count == 0)
        {
            await error.WriteLineAsync($"error: refused: no job can run on subagent {spec.Id}");
            return 1;
        }

        foreach (var key in keys)
        {
            var outcome = await client.GetGrain<IJobDispatcherGrain>(key).SetEnabled(spec.Id, enabled).WaitAsync(cancellationToken);
            if (!outcome.Accepted)
            {
                await error.WriteLineAsync($"error: refused: {outcome.Message}");
                return 1;
            }

            await output.WriteLineAsync(outcome.Message);
        }

        return 0;
    }
}
