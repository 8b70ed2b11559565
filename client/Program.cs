using Failover.Client;
using Failover.Storage;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    return await new ClientCli().RunAsync(args, Console.Out, Console.Error, cancellation.Token);
}
catch (UsageException exception)
{
    Console.Error.WriteLine($"error: {exception.Message} (see --help)");
    return 2;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("error: interrupted");
    return 130;
}
catch (Exception exception) when (UserErrors.Describe(exception) is { } message)
{
    Console.Error.WriteLine($"error: {message}");
    return 1;
}
