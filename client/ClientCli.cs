using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Failover.Storage;

namespace Failover.Client;

/// <summary>
/// The client's command line, parsed by System.CommandLine. A usage error is one line naming the problem (thrown as a
/// <see cref="UsageException"/>, exit 2), never System.CommandLine's help dump; <c>--help</c> prints the usage.
/// Every option takes its value as <c>--option VALUE</c> or <c>--option=VALUE</c>.
/// </summary>
internal sealed class ClientCli
{
    private static readonly ParserConfiguration ParserConfiguration = new()
    {
        // An argument such as an order id '@x' is a value, not a response file to read.
        ResponseFileTokenReplacer = null,
        EnablePosixBundling = false,
    };

    private readonly Option<string> _database = Global("--database", "DB", "sqlite:PATH or postgres:CONNECTION_STRING");
    private readonly Option<string> _clusterId = Global("--cluster-id", "ID", "the Orleans cluster id (default 'default')");
    private readonly Option<string> _serviceId = Global("--service-id", "ID", "the service whose events and state to read (default 'default')");
    private readonly Option<bool> _json = new("--json") { Description = "print JSON for scripts instead of tables", Arity = ArgumentArity.Zero, Recursive = true };

    private readonly Option<string> _file = Value("--file", "FILE", "the topology file", "-f");
    private readonly Option<bool> _force = Flag("--force", "remove agent clusters even while orders run on them (those orders fail)");
    private readonly Argument<string> _agent = new("AGENT") { Description = "an agent cluster id" };
    private readonly Argument<string> _confirmAgent = new("AGENT") { Description = "an agent cluster id" };
    private readonly Argument<string> _instance = new("INSTANCE") { Description = "primary or secondary" };
    private readonly Argument<string> _job = new("JOB") { Description = "a job id of the topology" };
    private readonly Option<string[]> _arg = new("--arg") { HelpName = "NAME=VALUE", Description = "an order argument (repeatable)" };
    private readonly Option<string> _id = Value("--id", "ID", "the order id (default: made up)");
    private readonly Option<bool> _wait = Flag("--wait", "show the order's progress until it ends; exit 1 unless Finished");
    private readonly Option<string> _state = Value("--state", "STATE", "only orders in this state");
    private readonly Option<string> _orderJob = Value("--job", "JOB", "only orders of this job");
    private readonly Option<string> _ordersLimit = Value("--limit", "N", "at most N orders (default 1000)");
    private readonly Argument<string> _orderId = new("ID") { Description = "an order id" };
    private readonly Argument<string> _cancelId = new("ID") { Description = "an order id" };
    private readonly Argument<string> _enableSubagent = new("SUBAGENT") { Description = "a subagent id" };
    private readonly Argument<string> _disableSubagent = new("SUBAGENT") { Description = "a subagent id" };
    private readonly Option<string> _eventsAgent = Value("--agent", "AGENT", "only events of this agent cluster");
    private readonly Option<string> _eventsLimit = Value("--limit", "N", "at most N events (default 200)");

    private readonly RootCommand _root;

    public ClientCli()
    {
        _root = new RootCommand("Orleans.Failover client: inspect and operate a cluster.")
        {
            _database, _clusterId, _serviceId, _json,
            new Command("members", "the membership table: silos, their status and IAmAlive age"),
            new Command("apply", "validate a topology file and apply it to the cluster") { _file, _force },
            new Command("agents", "director agent clusters: state, active and standby, epoch, heartbeats"),
            new Command("switch-over", "hand the active role of a coupled agent cluster to its standby") { _agent },
            new Command("confirm-loss", "confirm that INSTANCE is lost, so the other takes over") { _confirmAgent, _instance },
            new Command("submit", "add an order (idempotent by id)") { _job, _arg, _id, _wait },
            new Command("orders", "orders, oldest first") { _state, _orderJob, _ordersLimit },
            new Command("order", "one order with its history and output tail") { _orderId },
            new Command("cancel", "cancel an order (a running process is killed)") { _cancelId },
            new Command("subagents", "subagents: node, enabled, available, running"),
            new Command("enable", "let a subagent take new orders") { _enableSubagent },
            new Command("disable", "stop giving a subagent new orders (running ones finish)") { _disableSubagent },
            new Command("events", "what the agent clusters did, oldest first") { _eventsAgent, _eventsLimit },
            new Command("failover-pairs", "failover agent pairs: each side's view, its decision, where the managed agent runs"),
        };

        // '[suggest]' and the like are values here, not directives.
        _root.Directives.Clear();
    }

    /// <summary>Parses <paramref name="args"/> and runs the command; a bad command line throws <see cref="UsageException"/>.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var parsed = _root.Parse(args, ParserConfiguration);
        if (parsed.Action is HelpAction)
        {
            if (parsed.CommandResult.Command == _root)
            {
                await output.WriteLineAsync(ClientCommandLine.Usage);
                return 0;
            }

            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        }

        if (args.Count > 0 && args[0].StartsWith('[') && args[0].EndsWith(']'))
        {
            // System.CommandLine would take it for a directive and skip it.
            throw new UsageException($"unknown command '{args[0]}'");
        }

        RefuseEmptyInlineValues(args, parsed);
        RefuseOptionsWithoutValue(parsed);
        if (parsed.CommandResult.Command != _root)
        {
            RefuseOptionLikeArguments(parsed, parsed.CommandResult.Command);
        }

        if (parsed.Errors.Count > 0)
        {
            throw new UsageException(Describe(parsed));
        }

        if (parsed.Action is not null)
        {
            // --version
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        }

        var command = parsed.CommandResult.Command;
        if (command == _root)
        {
            throw new UsageException("no command given");
        }

        var commandLine = Globals(parsed);
        var name = command.Name;
        return name switch
        {
            "members" => await MembersCommand.RunAsync(commandLine, output, cancellationToken),
            "apply" => await ApplyCommand.RunAsync(
                commandLine, Text(parsed, _file, name) ?? throw new UsageException("apply needs -f FILE"), parsed.GetValue(_force), output, error, cancellationToken),
            "agents" => await AgentsCommand.RunAsync(commandLine, output, cancellationToken),
            "switch-over" => await DirectorCommands.SwitchOverAsync(commandLine, parsed.GetRequiredValue(_agent), output, error, cancellationToken),
            "confirm-loss" => await DirectorCommands.ConfirmLossAsync(
                commandLine, parsed.GetRequiredValue(_confirmAgent), parsed.GetRequiredValue(_instance), output, error, cancellationToken),
            "submit" => await OrderCommands.SubmitAsync(
                commandLine,
                OrderCommands.ParseSubmit(parsed.GetRequiredValue(_job), parsed.GetValue(_arg) ?? [], Text(parsed, _id, name), parsed.GetValue(_wait)),
                output,
                error,
                cancellationToken),
            "orders" => await OrderCommands.ListAsync(
                commandLine, Text(parsed, _state, name), Text(parsed, _orderJob, name), Text(parsed, _ordersLimit, name), output, cancellationToken),
            "order" => await OrderCommands.ShowAsync(commandLine, parsed.GetRequiredValue(_orderId), output, error, cancellationToken),
            "cancel" => await OrderCommands.CancelAsync(commandLine, parsed.GetRequiredValue(_cancelId), output, error, cancellationToken),
            "subagents" => await SubagentCommands.ListAsync(commandLine, output, cancellationToken),
            "enable" => await SubagentCommands.SetEnabledAsync(commandLine, parsed.GetRequiredValue(_enableSubagent), true, output, error, cancellationToken),
            "disable" => await SubagentCommands.SetEnabledAsync(commandLine, parsed.GetRequiredValue(_disableSubagent), false, output, error, cancellationToken),
            "events" => await EventsCommand.RunAsync(commandLine, Text(parsed, _eventsAgent, name), Text(parsed, _eventsLimit, name), output, cancellationToken),
            "failover-pairs" => await FailoverPairsCommand.RunAsync(commandLine, output, cancellationToken),
            _ => throw new UsageException($"unknown command '{name}'"),
        };
    }

    private ClientCommandLine Globals(ParseResult parsed)
    {
        var database = Text(parsed, _database, null) ?? Environment.GetEnvironmentVariable("FAILOVER_DATABASE");
        var clusterId = Text(parsed, _clusterId, null) ?? Environment.GetEnvironmentVariable("FAILOVER_CLUSTERID") ?? "default";
        var serviceId = Text(parsed, _serviceId, null) ?? Environment.GetEnvironmentVariable("FAILOVER_SERVICEID") ?? "default";
        DatabaseLocation location;
        try
        {
            location = DatabaseLocation.Parse(string.IsNullOrEmpty(database) ? DatabaseLocation.Default : database);
        }
        catch (FormatException exception)
        {
            throw new UsageException(exception.Message);
        }

        if (string.IsNullOrWhiteSpace(clusterId))
        {
            throw new UsageException("--cluster-id needs a non-empty value");
        }

        if (string.IsNullOrWhiteSpace(serviceId))
        {
            throw new UsageException("--service-id needs a non-empty value");
        }

        return new ClientCommandLine(location, clusterId, parsed.GetValue(_json)) { ServiceId = serviceId };
    }

    /// <summary>An option's value, or null when it is not given; an empty or blank value is refused.</summary>
    private static string? Text(ParseResult parsed, Option<string> option, string? command)
    {
        if (parsed.GetResult(option) is not { Implicit: false } result)
        {
            return null;
        }

        var value = parsed.GetValue(option);
        return string.IsNullOrWhiteSpace(value)
            ? throw new UsageException($"{Prefix(command)}{result.IdentifierToken?.Value ?? option.Name} needs a non-empty value")
            : value;
    }

    /// <summary>
    /// <c>--cluster-id= members</c>: System.CommandLine drops the empty value and takes the next token instead.
    /// </summary>
    private void RefuseEmptyInlineValues(IReadOnlyList<string> args, ParseResult parsed)
    {
        var names = OptionNames(_root);
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (arg.Length > 2 && arg[^1] is '=' or ':' && names.Contains(arg[..^1]))
            {
                var name = arg[..^1];
                var command = parsed.CommandResult.Command;
                var global = command == _root || !command.Options.Any(o => o.Name == name || o.Aliases.Contains(name));
                throw new UsageException($"{Prefix(global ? null : command.Name)}{name} needs a non-empty value");
            }
        }
    }

    /// <summary>
    /// System.CommandLine takes the next token as an option's value even when it is another option
    /// (<c>events --limit --agent a</c>): that is an option without its value.
    /// </summary>
    private void RefuseOptionsWithoutValue(ParseResult parsed)
    {
        var names = OptionNames(_root);
        for (SymbolResult? level = parsed.CommandResult; level is not null; level = level.Parent)
        {
            if (level is not CommandResult commandResult)
            {
                continue;
            }

            foreach (var result in commandResult.Children.OfType<OptionResult>())
            {
                if (result.Tokens.Any(t => names.Contains(OptionName(t.Value))))
                {
                    var option = result.IdentifierToken?.Value ?? result.Option.Name;
                    throw new UsageException($"{Prefix(IsGlobal(result.Option) || commandResult.Command == _root ? null : commandResult.Command.Name)}option {option} needs a value");
                }
            }
        }
    }

    private static HashSet<string> OptionNames(Command command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            names.Add(option.Name);
            names.UnionWith(option.Aliases);
        }

        foreach (var subcommand in command.Subcommands)
        {
            names.UnionWith(OptionNames(subcommand));
        }

        return names;
    }

    /// <summary>
    /// System.CommandLine binds an unknown '--name' to a free positional argument (<c>submit --priority 1 hello</c>
    /// would make '--priority' the job): name it as the unknown option it is. After '--' anything is a value.
    /// </summary>
    private static void RefuseOptionLikeArguments(ParseResult parsed, Command command)
    {
        foreach (var token in parsed.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                return;
            }

            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value.StartsWith('-')
                && command.Arguments.Any(a => parsed.GetResult(a)?.Tokens.Contains(token) == true))
            {
                throw new UsageException($"{command.Name}: unknown option '{OptionName(token.Value)}'");
            }
        }
    }

    /// <summary>The one line for a command line System.CommandLine refused, in the words the client always used.</summary>
    private string Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var name = command == _root ? null : command.Name;

        // An option without its value: '--database' at the end, or followed by another option.
        foreach (var failure in parsed.Errors)
        {
            if (failure.SymbolResult is OptionResult { Tokens.Count: 0 } missing)
            {
                var option = missing.IdentifierToken?.Value ?? missing.Option.Name;
                return $"{Prefix(IsGlobal(missing.Option) ? null : name)}option {option} needs a value";
            }
        }

        if (parsed.UnmatchedTokens.Count > 0)
        {
            var first = parsed.UnmatchedTokens[0];
            if (name is null)
            {
                return first.StartsWith('-') ? $"unknown option '{OptionName(first)}'" : $"unknown command '{first}'";
            }

            return first.StartsWith('-') && first.Length > 1
                ? $"{name}: unknown option '{OptionName(first)}'"
                : command.Arguments.Count == 0
                    ? $"{name}: unexpected argument '{first}' ({name} takes no arguments)"
                    : $"{name}: unexpected argument '{first}'";
        }

        if (name is null)
        {
            return "no command given";
        }

        var expected = command.Arguments.Count;
        var given = command.Arguments.Sum(a => parsed.GetResult(a)?.Tokens.Count ?? 0);
        if (given != expected)
        {
            return $"{name}: {expected} argument(s) expected, got {given} (usage: client {name} {string.Join(' ', command.Arguments.Select(a => a.Name))})";
        }

        // Anything else System.CommandLine finds is one line already; make sure of it.
        var message = parsed.Errors[0].Message.ReplaceLineEndings(" ").Trim();
        return $"{Prefix(name)}{message}";
    }

    private bool IsGlobal(Option option) => option == _database || option == _clusterId || option == _serviceId || option == _json;

    private static string Prefix(string? command) => command is null ? "" : $"{command}: ";

    private static string OptionName(string token)
    {
        var equals = token.IndexOfAny(['=', ':']);
        return equals > 0 ? token[..equals] : token;
    }

    private static Option<string> Global(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description, Recursive = true };

    private static Option<string> Value(string name, string helpName, string description, params string[] aliases) =>
        new(name, aliases) { HelpName = helpName, Description = description };

    private static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };
}
