using System.Text.Json;
using Failover.Runtime.Client;

namespace Failover.Client;

/// <summary>Connects to the cluster through a gateway found in the membership table.</summary>
internal static class ClusterConnection
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<ClusterClient> ConnectAsync(ClientCommandLine commandLine, CancellationToken cancellationToken)
    {
        await ClientDatabase.CheckAsync(commandLine.Database, cancellationToken);
        return await ClusterClient.ConnectAsync(
            new ClusterClientOptions { Database = commandLine.Database, ClusterId = commandLine.ClusterId },
            cancellationToken: cancellationToken);
    }
}
