using System.Text.Json;
using Failover.Runtime.Client;

namespace Failover.Client;

/// <summary>Connects to the cluster through a gateway found in the membership table.</summary>
internal static class ClusterConnection
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task<ClusterClient> ConnectAsync(ClientCommandLine commandLine, CancellationToken cancellationToken) =>
        ClusterClient.ConnectAsync(
            new ClusterClientOptions { Database = commandLine.Database, ClusterId = commandLine.ClusterId },
            cancellationToken: cancellationToken);
}
