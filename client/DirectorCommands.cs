using System.Text.Json;
using Failover.Hosting.Clients;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;

namespace Failover.Client;

/// <summary><c>client switch-over AGENT</c> and <c>client confirm-loss AGENT INSTANCE</c>: refused with the reason, exit 1.</summary>
internal static class DirectorCommands
{
    public static async Task<int> SwitchOverAsync(ClientCommandLine commandLine, string agent, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        await FindAgentAsync(client, agent, cancellationToken);
        var outcome = await client.GetGrain<IDirectorClusterGrain>(agent).SwitchOver().WaitAsync(cancellationToken);
        return await ReportAsync(commandLine, ("switch-over", agent, null), outcome, output, error);
    }

    public static async Task<int> ConfirmLossAsync(
        ClientCommandLine commandLine, string agent, string instanceText, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!DirectorInstances.TryParse(instanceText, out var instance))
        {
            throw new UsageException($"confirm-loss: '{instanceText}' is not a director instance (primary or secondary)");
        }

        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        await FindAgentAsync(client, agent, cancellationToken);
        var outcome = await client.GetGrain<IDirectorClusterGrain>(agent).ConfirmLoss(instance).WaitAsync(cancellationToken);
        return await ReportAsync(commandLine, ("confirm-loss", agent, instance.ToName()), outcome, output, error);
    }

    private static async Task FindAgentAsync(FailoverClient client, string agent, CancellationToken cancellationToken)
    {
        var topology = await AgentsCommand.ReadTopologyAsync(client, cancellationToken);
        if (topology.FindAgentCluster(agent) is null)
        {
            throw new UsageException($"there is no agent cluster '{agent}' in the topology (known: {string.Join(", ", topology.AgentClusters.Select(c => c.Id).DefaultIfEmpty("none"))})");
        }
    }

    /// <summary>Reports the outcome (<see cref="OutcomeReport"/>); the --json object names the command, the agent and the instance.</summary>
    private static Task<int> ReportAsync(
        ClientCommandLine commandLine, (string Command, string Agent, string? Instance) what, CommandOutcome outcome, TextWriter output, TextWriter error) =>
        OutcomeReport.WriteAsync(
            commandLine.Json,
            new { command = what.Command, agent = what.Agent, instance = what.Instance, accepted = outcome.Accepted, message = outcome.Message },
            outcome.Accepted,
            outcome.Message,
            output,
            error);
}
