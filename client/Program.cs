using Failover.Client;
using Failover.Runtime.Storage;

try
{
    var commandLine = ClientCommandLine.Parse(args);
    using var cancellation = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancellation.Cancel();
    };

    return commandLine.Command switch
    {
        "help" => ShowUsage(),
        "members" => await MembersCommand.RunAsync(commandLine, Console.Out, cancellation.Token),
        "failover-pairs" => await FailoverPairsCommand.RunAsync(commandLine, Console.Out, cancellation.Token),
        _ => throw new UsageException($"unknown command '{commandLine.Command}'"),
    };
}
catch (UsageException exception)
{
    Console.Error.WriteLine($"error: {exception.Message} (see --help)");
    return 2;
}
catch (Exception exception) when (exception is DatabaseUnavailableException or SchemaVersionException or FormatException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("error: cancelled");
    return 130;
}

static int ShowUsage()
{
    Console.WriteLine(ClientCommandLine.Usage);
    return 0;
}
