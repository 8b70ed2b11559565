using Hangfire;
using Hangfire.Logging;
using Hangfire.PostgreSql;

namespace Failover.Benchmarks.Peers.Hangfire;

/// <summary>
/// <c>peer-node hangfire</c>: one Hangfire server (a <see cref="BackgroundJobServer"/> named after the node) on the
/// system's database, until SIGTERM (a graceful stop: running jobs are cancelled and requeued) or <c>kill -9</c>.
/// </summary>
internal static class HangfireNode
{
    private static readonly TimeSpan s_announcePoll = TimeSpan.FromMilliseconds(50);

    public static async Task RunAsync(PeerNodeArguments arguments, CancellationToken cancellationToken)
    {
        using var runs = new RunLogWriter(arguments.RunsDirectory, arguments.Node);
        HangfireJob.Runs = runs;
        GlobalConfiguration.Configuration.UseColouredConsoleLogProvider(LogLevel.Warn);
        var storage = HangfireStorage.Create(arguments.ConnectionString, arguments.IsTuned);
        var options = HangfireConfiguration.ServerOptions(arguments.Node, arguments.IsTuned);
        using var server = new BackgroundJobServer(options, storage);
        await WaitUntilAnnouncedAsync(storage, arguments.Node, cancellationToken);
        Console.WriteLine(PeerNodeProgram.ReadyLine);

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            server.SendStop();
            using var shutdown = new CancellationTokenSource(options.ShutdownTimeout + TimeSpan.FromSeconds(5));
            await server.WaitForShutdownAsync(shutdown.Token);
            throw;
        }
    }

    /// <summary>The server is in the servers list (its id is <c>name:pid:guid</c>) once its workers are being started.</summary>
    private static async Task WaitUntilAnnouncedAsync(PostgreSqlStorage storage, string node, CancellationToken cancellationToken)
    {
        var prefix = $"{node}:{Environment.ProcessId}:";
        var monitoring = storage.GetMonitoringApi();
        while (!monitoring.Servers().Any(server => server.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            await Task.Delay(s_announcePoll, cancellationToken);
        }
    }
}
