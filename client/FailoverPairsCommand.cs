using System.Text.Json;
using Failover.Agents.FailoverPairs;
using Failover.Hosting.Clients;

namespace Failover.Client;

/// <summary><c>client failover-pairs</c>: every pair as its witness sees it (each side's last report).</summary>
internal static class FailoverPairsCommand
{
    public static async Task<int> RunAsync(ClientCommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        // An unreachable cluster is reported by Program as one line, like every other command's.
        List<FailoverPairStatus> pairs = [];
        await using (var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken))
        {
            var identities = await client.GetGrain<IFailoverPairRegistryGrain>(IFailoverPairRegistryGrain.Key).List();
            foreach (var identity in identities)
            {
                pairs.Add(await client.GetGrain<IFailoverPairWitnessGrain>(identity).GetStatus());
            }
        }

        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize<IReadOnlyList<FailoverPairStatus>>(pairs, PairJsonContext.Default.IReadOnlyListFailoverPairStatus));
            return 0;
        }

        if (pairs.Count == 0)
        {
            await output.WriteLineAsync($"No failover pairs in cluster '{commandLine.ClusterId}'.");
            return 0;
        }

        var table = new TableWriter("IDENTITY", "BEHAVIOR", "RUNNING ON", "NODE", "AGENT ID", "PEER", "CENTRAL", "DECISION", "REPORTED");
        foreach (var pair in pairs)
        {
            if (pair.Views.Count == 0)
            {
                table.AddRow(pair.Identity, pair.Behavior ?? "-", pair.RunningOn ?? "-", "-", "-", "-", "-", "-", "no report yet");
            }

            foreach (var view in pair.Views.OrderBy(v => v.AgentId, StringComparer.Ordinal))
            {
                table.AddRow(
                    pair.Identity, pair.Behavior ?? "-", pair.RunningOn ?? "-", view.Node, view.AgentId, Up(view.PeerUp), Up(view.CentralUp), view.Decision,
                    $"{view.LastHeardAgeMs} ms ago");
            }
        }

        table.WriteTo(output);
        return 0;
    }

    private static string Up(bool up) => up ? "up" : "down";
}
