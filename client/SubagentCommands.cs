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

    /// <summary>
    /// Enables or disables the subagent in every dispatcher that uses it. Each dispatcher's answer is a line on stdout;
    /// with --json one object <c>{subagent, enabled, accepted, messages, refusal}</c>. A refusal is exit 1 with the
    /// reason on stderr.
    /// </summary>
    public static async Task<int> SetEnabledAsync(
        ClientCommandLine commandLine, string subagent, bool enabled, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var command = enabled ? "enable" : "disable";
        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var topology = await AgentsCommand.ReadTopologyAsync(client, cancellationToken);
        var spec = topology.FindSubagent(subagent)
            ?? throw new UsageException($"{command}: there is no subagent '{subagent}' in the topology (known: {string.Join(", ", topology.Subagents.Select(s => s.Id).DefaultIfEmpty("none"))})");
        var keys = DispatcherKeys.OfSubagent(topology, spec);
        var messages = new List<string>();
        string? refusal = keys.Count == 0 ? $"no job can run on subagent {spec.Id}" : null;
        foreach (var key in keys)
        {
            var outcome = await client.GetGrain<IJobDispatcherGrain>(key).SetEnabled(spec.Id, enabled).WaitAsync(cancellationToken);
            if (!outcome.Accepted)
            {
                refusal = outcome.Message;
                break;
            }

            messages.Add(outcome.Message);
            if (!commandLine.Json)
            {
                await output.WriteLineAsync(outcome.Message);
            }
        }

        if (commandLine.Json)
        {
            var result = new { subagent = spec.Id, enabled, accepted = refusal is null, messages, refusal };
            await output.WriteLineAsync(JsonSerializer.Serialize(result, ClusterConnection.Json));
        }

        if (refusal is null)
        {
            return 0;
        }

        await error.WriteLineAsync($"error: refused: {refusal}");
        return 1;
    }
}
