using Failover.Agents.SiloControl;
using Failover.Runtime.Client;
using Failover.Runtime.Storage;

namespace Failover.Silo;

/// <summary><c>silo stop --node NAME [--fail-over]</c>: asks that node's running silo to stop, through the cluster.</summary>
internal static class StopSiloCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration, bool failOver)
    {
        var node = configuration.GetValue<string>("Node")!;
        var options = new ClusterClientOptions
        {
            Database = DatabaseLocation.Parse(configuration.GetValue("Database", DatabaseLocation.Default)!),
            ClusterId = configuration.GetValue("ClusterId", "default")!,
        };
        await using var client = await ClusterClient.ConnectAsync(options);
        try
        {
            Console.WriteLine(await client.GetGrain<ISiloControlGrain>(node).Stop(failOver));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return ErrorReporter.FailureExitCode;
        }

        return 0;
    }
}
