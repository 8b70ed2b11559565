using Failover.Hosting.Clients;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;

namespace Failover.Client;

/// <summary><c>client switch-over AGENT</c> and <c>client confirm-loss AGENT INSTANCE</c>: refused with the reason, exit 1.</summary>
internal static class DirectorCommands
{
    public static async Task<int> SwitchOverAsync(ClientCommandLine commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CommandArguments("switch-over", commandLine.Arguments, [], 1);
        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var agent = await FindAgentAsync(client, arguments.Positional[0], cancellationToken);
        var outcome = await client.GetGrain<IDirectorClusterGrain>(agent).SwitchOver().WaitAsync(cancellationToken);
        return await ReportAsync(outcome, output, error);
    }

    public static async Task<int> ConfirmLossAsync(ClientCommandLine commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var arguments = new CommandArguments("confirm-loss", commandLine.Arguments, [], 2);
        if (!DirectorInstances.TryParse(arguments.Positional[1], out var instance))
        {
            throw new UsageException($"confirm-loss: '{arguments.Positional[1]}' is not a director instance (primary or secondary)");
        }

        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var agent = await FindAgentAsync(client, arguments.Positional[0], cancellationToken);
        var outcome = await client.GetGrain<IDirectorClusterGrain>(agent).ConfirmLoss(instance).WaitAsync(cancellationToken);
        return await ReportAsync(outcome, output, error);
    }

    private static async Task<string> FindAgentAsync(FailoverClient client, string agent, CancellationToken cancellationToken)
    {
        var topology = await AgentsCommand.ReadTopologyAsync(client, cancellationToken);
        return topology.FindAgentCluster(agent) is null
            ? throw new UsageException($"there is no agent cluster '{agent}' in the topology (known: {string.Join(", ", topology.AgentClusters.Select(c => c.Id).DefaultIfEmpty("none"))})")
            : agent;
    }

    private static async Task<int> ReportAsync(CommandOutcome outcome, TextWriter output, TextWriter error)
    {
        if (outcome.Accepted)
        {
            await output.WriteLineAsync(outcome.Message);
            return 0;
        }

        await error.WriteLineAsync($"error: refused: {outcome.Message}");
        return 1;
    }
}
