using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;

namespace Failover.Agents.DirectorClusters;

/// <summary>The witness of one director agent cluster (key: the agent cluster's id).</summary>
[Alias("Failover.IDirectorClusterGrain")]
public interface IDirectorClusterGrain : IGrainWithStringKey
{
    Task<DirectorAssignment> Heartbeat(DirectorHeartbeat heartbeat);

    /// <summary>The instance's silo is stopping; <paramref name="failOver"/> asks for a fail-over as if it had crashed.</summary>
    Task Stopping(DirectorInstance instance, string incarnation, bool failOver);

    Task<CommandOutcome> SwitchOver();

    Task<CommandOutcome> ConfirmLoss(DirectorInstance instance);

    Task<DirectorClusterView> GetView();
}

/// <summary>A user command's result: accepted, or refused with the reason.</summary>
[GenerateSerializer]
[Alias("Failover.CommandOutcome")]
public sealed record CommandOutcome(bool Accepted, string Message);
