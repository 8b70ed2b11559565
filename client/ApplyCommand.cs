using System.Text.Json;
using Failover.Agents.Topology;

namespace Failover.Client;

/// <summary><c>client apply -f FILE</c>: validates the whole topology here, then applies it; an identical file changes nothing.</summary>
internal static class ApplyCommand
{
    public static async Task<int> RunAsync(ClientCommandLine commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CommandArguments("apply", commandLine.Arguments, ["-f", "--file"], 0);
        var file = arguments.Option("-f") ?? arguments.Option("--file") ?? throw new UsageException("apply needs -f FILE");
        if (!File.Exists(file))
        {
            throw new UsageException($"topology file '{file}' does not exist");
        }

        var json = await File.ReadAllTextAsync(file, cancellationToken);
        try
        {
            TopologyParser.Parse(json);
        }
        catch (TopologyException invalid)
        {
            foreach (var line in invalid.Errors)
            {
                await error.WriteLineAsync($"error: {file}: {line}");
            }

            await error.WriteLineAsync($"error: {file}: {invalid.Errors.Count} problem(s); nothing was applied");
            return 1;
        }

        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var result = await client.GetGrain<ITopologyGrain>(ITopologyGrain.Key).Apply(json).WaitAsync(cancellationToken);
        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(result, ClusterConnection.Json));
        }
        else if (!result.Changed)
        {
            await output.WriteLineAsync($"No change: the cluster already runs this topology (version {result.Version}).");
        }
        else
        {
            await output.WriteLineAsync($"Topology version {result.Version} applied:");
            foreach (var change in result.Changes)
            {
                await output.WriteLineAsync($"  {change}");
            }
        }

        return 0;
    }
}
