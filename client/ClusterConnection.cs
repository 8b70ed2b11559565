using System.Text.Json;
using Failover.Hosting.Clients;

namespace Failover.Client;

/// <summary>Connects to the cluster through a gateway found in the membership table.</summary>
internal static class ClusterConnection
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<FailoverClient> ConnectAsync(ClientCommandLine commandLine, CancellationToken cancellationToken)
    {
        await ClientDatabase.CheckAsync(commandLine.Database, cancellationToken);
        return await FailoverClient.ConnectAsync(commandLine.Database, commandLine.ClusterId, cancellationToken);
    }
}
