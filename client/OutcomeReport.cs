using System.Text.Json;

namespace Failover.Client;

/// <summary>
/// How a command that the cluster may refuse reports: accepted, its message (or, with --json, <paramref name="jsonResult"/>)
/// on stdout and exit 0; refused, the reason on stderr and exit 1, and with --json the same object on stdout.
/// </summary>
internal static class OutcomeReport
{
    public static async Task<int> WriteAsync(bool json, object jsonResult, bool accepted, string message, TextWriter output, TextWriter error)
    {
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(jsonResult, ClusterConnection.Json));
        }
        else if (accepted)
        {
            await output.WriteLineAsync(message);
        }

        if (accepted)
        {
            return 0;
        }

        await error.WriteLineAsync($"error: refused: {message}");
        return 1;
    }
}
