namespace Failover.Benchmarks.Peers;

/// <summary>
/// The <c>peer-node</c> verb of this program: one node of a peer system (Quartz.NET, Hangfire) running benchmark
/// jobs until it is killed or gets SIGTERM. It writes <see cref="ReadyLine"/> to stdout once it runs jobs.
/// </summary>
internal static class PeerNodeProgram
{
    public const string Verb = "peer-node";
    public const string ReadyLine = "peer-node ready";

    private static readonly Dictionary<string, Func<PeerNodeArguments, CancellationToken, Task>> s_systems = new(StringComparer.Ordinal)
    {
        ["hangfire"] = Hangfire.HangfireNode.RunAsync,
        ["quartz"] = Quartz.QuartzNode.RunAsync,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        PeerNodeArguments arguments;
        try
        {
            arguments = PeerNodeArguments.Parse(args);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return 2;
        }

        if (!s_systems.TryGetValue(arguments.System, out var run))
        {
            await Console.Error.WriteLineAsync($"error: peer-node knows {string.Join(", ", s_systems.Keys)}, not '{arguments.System}'");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
        try
        {
            await run(arguments, stop.Token);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
    }
}
