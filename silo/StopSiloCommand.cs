using Failover.Agents.SiloControl;
using Failover.Hosting.Clients;
using Failover.Storage;

namespace Failover.Silo;

/// <summary><c>silo stop --node NAME [--fail-over]</c>: asks that node's running silo to stop, through the cluster.</summary>
internal static class StopSiloCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration, bool failOver)
    {
        var node = configuration.GetValue<string>("Node")!;
        var database = DatabaseLocation.Parse(configuration.GetValue("Database", DatabaseLocation.Default)!);
        if (database.Kind == DatabaseKind.Sqlite && !File.Exists(database.ConnectionString))
        {
            Console.Error.WriteLine($"error: there is no cluster database at {database.ConnectionString}, so no silo of node {node} runs on it");
            return ErrorReporter.FailureExitCode;
        }

        await using var client = await FailoverClient.ConnectAsync(database, configuration.GetValue("ClusterId", "default")!, CancellationToken.None);
        try
        {
            Console.WriteLine(await client.Grains.GetGrain<ISiloControlGrain>(node).Stop(failOver));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Orleans appends the whole request (grain ids, silo addresses) after the first line.
            var reason = exception switch
            {
                TimeoutException => "the silo did not answer in time",
                Orleans.Runtime.SiloUnavailableException => "the silo went away before it answered",
                _ => exception.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "the stop failed",
            };
            Console.Error.WriteLine($"error: stopping node {node}: {reason}");
            return ErrorReporter.FailureExitCode;
        }

        return 0;
    }
}
