namespace Failover.Agents.DirectorClusters;

/// <summary>JS7's agent cluster states, plus the state in which the witness waits for a user to confirm a loss.</summary>
public enum DirectorClusterState
{
    /// <summary>Topology applied; the primary director has not yet held the active role.</summary>
    NodesAppointed,

    /// <summary>An active director acts; the standby heartbeats but has not yet acknowledged the active's epoch.</summary>
    PreparedToBeCoupled,

    /// <summary>Active and standby both heartbeat and the standby knows the current epoch: it may take over.</summary>
    Coupled,

    /// <summary>The active stopped normally: no fail-over; it resumes when it comes back.</summary>
    ActiveShutDown,

    /// <summary>The standby is gone; the active goes on alone.</summary>
    PassiveLost,

    /// <summary>A user moved the active role to the other instance.</summary>
    SwitchedOver,

    /// <summary>The active was lost and the coupled standby took over.</summary>
    FailedOver,

    /// <summary>The witness cannot decide who is active; nobody acts until a user confirms the lost instance.</summary>
    NodeLossNotConfirmed,
}
