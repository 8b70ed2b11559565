using System.Globalization;
using System.Text.Json;
using Failover.Storage;

namespace Failover.Client;

/// <summary><c>client events [--agent A] [--limit N]</c>: the durable event log, oldest first, read from the database.</summary>
internal static class EventsCommand
{
    public static async Task<int> RunAsync(ClientCommandLine commandLine, string? agent, string? limitText, TextWriter output, CancellationToken cancellationToken)
    {
        var limit = 200;
        if (limitText is not null
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100_000))
        {
            throw new UsageException($"events: --limit must be an integer from 1 to 100000 (got '{limitText}')");
        }

        await using var database = await ClientDatabase.OpenAsync(commandLine.Database, cancellationToken);
        var events = await database.CreateEventLog(commandLine.ServiceId).ReadAsync(agent, limit, cancellationToken);
        if (commandLine.Json)
        {
            var rows = events.Select(e => new { time = e.Time, agent = e.Source, kind = e.Kind, detail = e.Detail });
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, ClusterConnection.Json));
            return 0;
        }

        if (events.Count == 0)
        {
            await output.WriteLineAsync("No events.");
            return 0;
        }

        var table = new TableWriter("TIME (UTC)", "AGENT", "EVENT", "DETAIL");
        foreach (var happening in events)
        {
            table.AddRow(happening.Time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture), happening.Source, happening.Kind, happening.Detail);
        }

        table.WriteTo(output);
        return 0;
    }
}
