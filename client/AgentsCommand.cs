using System.Text.Json;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using Failover.Hosting.Clients;

namespace Failover.Client;

/// <summary><c>client agents</c>: each director agent cluster's state, roles, epoch and heartbeat ages.</summary>
internal static class AgentsCommand
{
    public static async Task<int> RunAsync(ClientCommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var topology = await ReadTopologyAsync(client, cancellationToken);
        var views = new List<DirectorClusterView>();
        foreach (var cluster in topology.AgentClusters)
        {
            views.Add(await client.GetGrain<IDirectorClusterGrain>(cluster.Id).GetView().WaitAsync(cancellationToken));
        }

        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(views, ClusterConnection.Json));
            return 0;
        }

        if (views.Count == 0)
        {
            await output.WriteLineAsync("No agent clusters: apply a topology with 'client apply -f FILE'.");
            return 0;
        }

        var table = new TableWriter("AGENT", "STATE", "ACTIVE", "STANDBY", "EPOCH", "COUPLED", "PRIMARY", "SECONDARY");
        foreach (var view in views)
        {
            var standbyNode = view.Instances.First(i => i.Instance == view.Standby).Node;
            table.AddRow(
                view.Id,
                view.State + (view.SwitchPending ? " (switching)" : ""),
                $"{view.Active} ({view.ActiveNode})",
                $"{view.Standby} ({standbyNode})",
                view.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                view.Coupled ? "yes" : "no",
                Describe(view.Instances[0]),
                Describe(view.Instances[1]));
        }

        table.WriteTo(output);
        return 0;
    }

    public static async Task<TopologyDocument> ReadTopologyAsync(FailoverClient client, CancellationToken cancellationToken)
    {
        var snapshot = await client.GetGrain<ITopologyGrain>(ITopologyGrain.Key).GetIfNewer(0).WaitAsync(cancellationToken);
        return snapshot is null ? TopologyDocument.Empty : TopologyParser.Parse(snapshot.Json);
    }

    private static string Describe(DirectorInstanceView instance) =>
        $"{instance.Node}: {instance.Role}, " + (instance.LastHeartbeatAgeMs is { } age ? $"heard {age} ms ago" : "never heard");
}
