using System.Text.Json.Serialization;
using Failover.Agents.Topology;

namespace Failover.Agents.DirectorClusters;

/// <summary>
/// The witness's durable role state. Written (fenced) before any answer that depends on it leaves the grain, so a
/// re-activated witness never hands out an epoch twice.
/// </summary>
public sealed record DirectorClusterRecord
{
    public DirectorClusterState State { get; init; } = DirectorClusterState.NodesAppointed;

    /// <summary>The instance holding (or about to hold) the active role.</summary>
    public DirectorInstance Active { get; init; } = DirectorInstance.Primary;

    /// <summary>The fencing token of the active role; bumped on every hand-over.</summary>
    public long Epoch { get; init; }

    /// <summary>Whether <see cref="Epoch"/> has been given to an incarnation; if so, the next hand-out bumps it.</summary>
    public bool EpochHandedOut { get; init; }

    /// <summary>The incarnation (silo address) the active role was handed to.</summary>
    public string? ActiveIncarnation { get; init; }

    /// <summary>The standby incarnation that acknowledged <see cref="Epoch"/> while the active was alive.</summary>
    public string? CoupledStandbyIncarnation { get; init; }

    /// <summary>A switch-over in progress: the active role passes once the current active has stepped down.</summary>
    public bool SwitchPending { get; init; }

    /// <summary>The instance last lost (the subject of FailedOver and NodeLossNotConfirmed).</summary>
    public DirectorInstance? LostInstance { get; init; }

    [JsonIgnore]
    public DirectorInstance Standby => Active.Other();

    /// <summary>Whether the <see cref="Active"/> instance may hold the role now (not handed over, not waiting for a user).</summary>
    [JsonIgnore]
    public bool ActiveRoleOpen => !SwitchPending && State is not (DirectorClusterState.NodeLossNotConfirmed or DirectorClusterState.ActiveShutDown);
}
