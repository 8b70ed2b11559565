using Failover.Client;
using Failover.Storage;

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
        "apply" => await ApplyCommand.RunAsync(commandLine, Console.Out, Console.Error, cancellation.Token),
        "agents" => await AgentsCommand.RunAsync(commandLine, Console.Out, cancellation.Token),
        "switch-over" => await DirectorCommands.SwitchOverAsync(commandLine, Console.Out, Console.Error, cancellation.Token),
        "confirm-loss" => await DirectorCommands.ConfirmLossAsync(commandLine, Console.Out, Console.Error, cancellation.Token),
        "events" => await EventsCommand.RunAsync(commandLine, Console.Out, cancellation.Token),
        "submit" => await OrderCommands.SubmitAsync(commandLine, Console.Out, Console.Error, cancellation.Token),
        "orders" => await OrderCommands.ListAsync(commandLine, Console.Out, cancellation.Token),
        "order" => await OrderCommands.ShowAsync(commandLine, Console.Out, Console.Error, cancellation.Token),
        "cancel" => await OrderCommands.CancelAsync(commandLine, Console.Out, Console.Error, cancellation.Token),
        "subagents" => await SubagentCommands.ListAsync(commandLine, Console.Out, cancellation.Token),
        "enable" => await SubagentCommands.SetEnabledAsync(commandLine, true, Console.Out, Console.Error, cancellation.Token),
        "disable" => await SubagentCommands.SetEnabledAsync(commandLine, false, Console.Out, Console.Error, cancellation.Token),
        "failover-pairs" => await FailoverPairsCommand.RunAsync(commandLine, Console.Out, cancellation.Token),
        _ => throw new UsageException($"unknown command '{commandLine.Command}'"),
    };
}
catch (UsageException exception)
{
    Console.Error.WriteLine($"error: {exception.Message} (see --help)");
    return 2;
}
catch (Exception exception) when (exception is DatabaseUnavailableException or SchemaVersionException or FormatException
    or Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansException or Failover.Hosting.Clients.ClusterUnavailableException or TimeoutException or InvalidOperationException)
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
