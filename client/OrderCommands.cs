using System.Globalization;
using System.Text.Json;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Storage.Records;

namespace Failover.Client;

/// <summary>
/// <c>client submit JOB [--arg k=v]... [--id ID] [--wait]</c>, <c>orders [--state S] [--job J] [--limit N]</c>,
/// <c>order ID</c> and <c>cancel ID</c>. Orders are read from the database, where they are durable; submissions and
/// cancels go to the job's dispatcher.
/// </summary>
internal static class OrderCommands
{
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LiveViewTimeout = TimeSpan.FromSeconds(3);

    public static async Task<int> SubmitAsync(ClientCommandLine commandLine, Submission submission, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (job, request, wait) = submission;
        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var topology = await AgentsCommand.ReadTopologyAsync(client, cancellationToken);
        var spec = topology.FindJob(job)
            ?? throw new UsageException($"submit: there is no job '{job}' in the topology (known: {string.Join(", ", topology.Jobs.Select(j => j.Id).DefaultIfEmpty("none"))})");
        var result = await client.GetGrain<IJobDispatcherGrain>(DispatcherKeys.ForJob(spec)).Submit(request).WaitAsync(cancellationToken);
        if (!result.Accepted)
        {
            await error.WriteLineAsync($"error: refused: {result.Refusal}");
            return 1;
        }

        var order = result.Order!;
        if (!wait)
        {
            await WriteOrderAsync(commandLine, output, order, result.Duplicate ? "already submitted" : "submitted");
            return 0;
        }

        if (!commandLine.Json)
        {
            await output.WriteLineAsync($"order {order.Id} {(result.Duplicate ? "already submitted" : "submitted")}: {Describe(order)}");
        }

        await using var database = await ClientDatabase.OpenAsync(commandLine.Database, cancellationToken);
        var orders = new OrderStore(database.CreateRecordStore(commandLine.ServiceId));
        var shown = order.History.Count;
        var shownWait = order.Waiting;
        while (!order.State.IsTerminal())
        {
            await Task.Delay(WaitPoll, cancellationToken);
            order = (await orders.ReadAsync(order.Id, cancellationToken))?.Order ?? order;
            if (order.State == OrderState.Pending && order.Waiting is null)
            {
                order = await client.GetGrain<IJobDispatcherGrain>(DispatcherKeys.ForJob(spec)).GetOrder(order.Id).WaitAsync(cancellationToken) ?? order;
            }

            if (order.Waiting is { } why && why != shownWait && !commandLine.Json)
            {
                await output.WriteLineAsync($"  waiting: {why}");
            }

            shownWait = order.Waiting;
            if (!commandLine.Json)
            {
                foreach (var entry in order.History.Skip(shown))
                {
                    await output.WriteLineAsync($"  {entry.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {entry.State}: {entry.Detail}");
                }
            }

            shown = order.History.Count;
        }

        await WriteOrderAsync(commandLine, output, order, "ended");
        return order.State == OrderState.Finished ? 0 : 1;
    }

    public static async Task<int> ListAsync(
        ClientCommandLine commandLine, string? stateText, string? job, string? limitText, TextWriter output, CancellationToken cancellationToken)
    {
        var states = stateText is not null ? [ParseState(stateText)] : (IReadOnlyList<string>?)null;
        var limit = 1000;
        if (limitText is not null
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100_000))
        {
            throw new UsageException($"orders: --limit must be an integer from 1 to 100000 (got '{limitText}')");
        }

        await using var database = await ClientDatabase.OpenAsync(commandLine.Database, cancellationToken);
        var orders = new OrderStore(database.CreateRecordStore(commandLine.ServiceId));
        var found = new List<OrderRecord>();
        string? after = null;
        while (found.Count < limit)
        {
            var page = await orders.QueryAsync(new RecordQuery { Statuses = states, AfterKey = after, Limit = 1000 }, cancellationToken);
            found.AddRange(page.Where(o => job is null || o.Job == job));
            if (page.Count < 1000)
            {
                break;
            }

            after = page[^1].Id;
        }

        var shown = found.OrderBy(o => o.Created).ThenBy(o => o.Id, StringComparer.Ordinal).Take(limit).ToList();
        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(shown.Select(OrderSummary.From), ClusterConnection.Json));
            return 0;
        }

        if (shown.Count == 0)
        {
            await output.WriteLineAsync("No orders.");
            return 0;
        }

        var table = new TableWriter("ORDER", "JOB", "STATE", "SUBAGENT", "ATTEMPT", "REASON", "EXIT", "UPDATED (UTC)");
        foreach (var order in shown)
        {
            table.AddRow(
                order.Id, order.Job, order.State + (order.CancelRequested ? " (cancelling)" : ""), order.Subagent ?? "-",
                order.Attempt.ToString(CultureInfo.InvariantCulture), order.Reason?.ToString() ?? (order.Waiting is { } why ? $"waiting: {why}" : "-"),
                order.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-", order.Updated.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
        }

        table.WriteTo(output);
        return 0;
    }

    public static async Task<int> ShowAsync(ClientCommandLine commandLine, string id, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var database = await ClientDatabase.OpenAsync(commandLine.Database, cancellationToken);
        var found = await new OrderStore(database.CreateRecordStore(commandLine.ServiceId)).ReadAsync(id, cancellationToken);
        if (found is not var (order, stored))
        {
            await error.WriteLineAsync($"error: there is no order '{id}'");
            return 1;
        }

        if (order.State == OrderState.Pending && order.Waiting is null)
        {
            order = await LiveViewAsync(commandLine, stored.Partition, order, cancellationToken);
        }

        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(order, ClusterConnection.Json));
            return 0;
        }

        await output.WriteLineAsync($"order {order.Id}: {Describe(order)}");
        if (order.Arguments.Count > 0)
        {
            await output.WriteLineAsync("arguments: " + string.Join(" ", order.Arguments.Select(a => $"{a.Key}={a.Value}")));
        }

        var table = new TableWriter("TIME (UTC)", "STATE", "DETAIL");
        foreach (var entry in order.History)
        {
            table.AddRow(entry.Time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), entry.State.ToString(), entry.Detail);
        }

        table.WriteTo(output);
        if (!string.IsNullOrEmpty(order.OutputTail))
        {
            await output.WriteLineAsync("output (last bytes):");
            await output.WriteLineAsync(order.OutputTail.TrimEnd('\n'));
        }

        return 0;
    }

    /// <summary>
    /// A Pending order as its dispatcher holds it, which knows why it waits before the stored record shows that. The
    /// stored record stands when the cluster does not answer in time: the database alone is enough for <c>order</c>.
    /// </summary>
    private static async Task<OrderRecord> LiveViewAsync(ClientCommandLine commandLine, string dispatcher, OrderRecord stored, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(LiveViewTimeout);
        try
        {
            await using var client = await ClusterConnection.ConnectAsync(commandLine, deadline.Token);
            return await client.GetGrain<IJobDispatcherGrain>(dispatcher).GetOrder(stored.Id).WaitAsync(deadline.Token) ?? stored;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or TimeoutException or IOException
            or System.Net.Sockets.SocketException or Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansException or Failover.Hosting.Clients.ClusterUnavailableException)
        {
            return stored;
        }
    }

    /// <summary>Asks the order's dispatcher to cancel it; with --json the answer is <c>{order, accepted, message}</c>.</summary>
    public static async Task<int> CancelAsync(ClientCommandLine commandLine, string id, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string dispatcher;
        await using (var database = await ClientDatabase.OpenAsync(commandLine.Database, cancellationToken))
        {
            var stored = await database.CreateRecordStore(commandLine.ServiceId).ReadAsync(OrderStore.Kind, id, cancellationToken);
            if (stored is null)
            {
                await error.WriteLineAsync($"error: there is no order '{id}'");
                return 1;
            }

            dispatcher = stored.Partition;
        }

        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var outcome = await client.GetGrain<IJobDispatcherGrain>(dispatcher).Cancel(id).WaitAsync(cancellationToken);
        return await OutcomeReport.WriteAsync(
            commandLine.Json, new { order = id, accepted = outcome.Accepted, message = outcome.Message }, outcome.Accepted, outcome.Message, output, error);
    }

    /// <summary>A submission from the command line: <c>--arg NAME=VALUE</c> pairs checked, an id made up when none is given.</summary>
    public static Submission ParseSubmit(string job, IReadOnlyList<string> pairs, string? id, bool wait)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"submit: --arg needs NAME=VALUE, not '{pair}'");
            }

            if (!values.TryAdd(pair[..equals], pair[(equals + 1)..]))
            {
                throw new UsageException($"submit: argument '{pair[..equals]}' is given twice");
            }
        }

        if (OrderArguments.Validate(values) is { } bad)
        {
            throw new UsageException($"submit: {bad}");
        }

        id ??= $"{job}-{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid().ToString("N")[..8]}";
        if (OrderSubmissions.InvalidId(id) is { } badId)
        {
            throw new UsageException($"submit: {badId}");
        }

        return new Submission(job, new OrderRequest { Id = id, Job = job, Arguments = values }, wait);
    }

    private static string ParseState(string text) =>
        Enum.TryParse<OrderState>(text, ignoreCase: true, out var state) && Enum.IsDefined(state) && !int.TryParse(text, out _)
            ? state.ToString()
            : throw new UsageException($"orders: --state must be one of {string.Join(", ", Enum.GetNames<OrderState>())} (got '{text}')");

    private static async Task WriteOrderAsync(ClientCommandLine commandLine, TextWriter output, OrderRecord order, string what)
    {
        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(order, ClusterConnection.Json));
            return;
        }

        await output.WriteLineAsync($"order {order.Id} {what}: {Describe(order)}");
    }

    private static string Describe(OrderRecord order) => order.State switch
    {
        OrderState.Pending => order.Waiting is { } why ? $"Pending (waiting: {why})" : "Pending",
        OrderState.Processing => $"Processing on {order.Subagent} (attempt {order.Attempt}, epoch {order.Epoch})",
        OrderState.Finished => $"Finished (exit code 0, attempt {order.Attempt} on {order.Subagent})",
        OrderState.Failed => $"Failed ({order.Reason}{(order.ExitCode is { } code ? $", exit code {code}" : "")})",
        _ => "Cancelled",
    };
}

/// <summary>What <c>client submit</c> sends: the job, the request (id and arguments) and whether to wait for the end.</summary>
internal sealed record Submission(string Job, OrderRequest Request, bool Wait);
