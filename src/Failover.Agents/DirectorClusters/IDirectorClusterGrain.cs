using Failover.Agents.Topology;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Failover.Agents.DirectorClusters;

/// <summary>The witness of one director agent cluster (key: the agent cluster's id).</summary>
[Alias("Failover.IDirectorClusterGrain")]
public interface IDirectorClusterGrain : IGrainWithStringKey
{
    Task<DirectorAssignment> Heartbeat(DirectorHeartbeat heartbeat);

    /// <summary>The instance's silo is stopping; <paramref name="failOver"/> asks for a fail-over as if it had crashed.</summary>
    Task Stopping(DirectorInstance instance, string incarnation, bool failOver);

    /// <summary>
    /// A user's switch-over. Interleaved with the witness's other calls while it asks the job dispatchers what runs on
    /// the active director's node, so heartbeats never wait behind it; refused when they do not answer in time.
    /// </summary>
    [AlwaysInterleave]
    Task<CommandOutcome> SwitchOver();

    Task<CommandOutcome> ConfirmLoss(DirectorInstance instance);

    Task<DirectorClusterView> GetView();
}

/// <summary>A user command's result: accepted, or refused with the reason.</summary>
[GenerateSerializer]
[Alias("Failover.CommandOutcome")]
public sealed record CommandOutcome(bool Accepted, string Message);
