using System.Runtime.InteropServices;
using Failover.Benchmarks;
using Failover.Benchmarks.Peers;

if (args.Length > 0 && args[0] == BenchSilo.Verb)
{
    // One of the silo processes the runtime and cluster suites start.
    return await BenchSilo.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == PeerNodeProgram.Verb)
{
    // One node of Quartz.NET or Hangfire, which the peers suite starts three of.
    return await PeerNodeProgram.RunAsync(args[1..]);
}

BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    Console.Error.WriteLine(BenchmarkSettings.Usage);
    return 2;
}

// Ctrl+C or SIGTERM: stop measuring, stop every silo this run started, remove its temporary files.
using var cancellation = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    cancellation.Cancel();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

var workDirectory = Directory.CreateTempSubdirectory("failover-bench-");
try
{
    Console.WriteLine($"Orleans.Failover benchmarks — suite {settings.Suite.ToString().ToLowerInvariant()}, {Environment.ProcessorCount} cores");
    var run = new BenchmarkRun(settings, workDirectory, Console.Out);
    var failed = await run.RunAsync(cancellation.Token);
    ResultTable.Write(run.Results, Console.Out);
    PeerTable.Write(run.PeerFigures, Console.Out);
    var path = await ResultFile.WriteAsync(settings, run.Databases, run.Results, run.PeerFigures, CancellationToken.None);
    Console.WriteLine($"results written to {path}");
    return cancellation.IsCancellationRequested ? 130 : failed ? 1 : 0;
}
finally
{
    try
    {
        workDirectory.Delete(recursive: true);
    }
    catch (IOException exception)
    {
        Console.Error.WriteLine($"warning: could not remove {workDirectory.FullName}: {exception.Message}");
    }
}
