using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Quartz;

namespace Failover.Benchmarks.Peers.Quartz;

/// <summary>
/// <c>peer-node quartz</c>: one clustered Quartz scheduler running benchmark jobs until SIGTERM (a shutdown that
/// cancels its running jobs and waits for them) or <c>kill -9</c>. Quartz's warnings go to stderr.
/// </summary>
internal static class QuartzNode
{
    private static readonly TimeSpan s_shutdownTimeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(PeerNodeArguments arguments, CancellationToken cancellationToken)
    {
        using var runs = new RunLogWriter(arguments.RunsDirectory, arguments.Node);
        var settings = QuartzSettings.For(arguments.Configuration, arguments.ConnectionString);
        var scheduler = await QuartzSchedulerBuilder.Create(quartz =>
        {
            settings.ConfigureNode(quartz, arguments.ConnectionString);
            quartz.Services.AddSingleton(runs);
            quartz.Services.AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(options =>
                {
                    options.SingleLine = true;
                    options.TimestampFormat = "HH:mm:ss.fff ";
                    options.UseUtcTimestamp = true;
                    options.ColorBehavior = LoggerColorBehavior.Disabled;
                }));
            quartz.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }).BuildScheduler(cancellationToken);

        try
        {
            await scheduler.Start(cancellationToken);
            Console.WriteLine(PeerNodeProgram.ReadyLine);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            using var shutdown = new CancellationTokenSource(s_shutdownTimeout);
            await scheduler.Shutdown(waitForJobsToComplete: true, shutdown.Token);
        }
    }
}
