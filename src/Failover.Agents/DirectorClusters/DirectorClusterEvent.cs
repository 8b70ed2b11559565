namespace Failover.Agents.DirectorClusters;

/// <summary>An event the witness records durably: <see cref="Kind"/> is one of <see cref="DirectorEventKinds"/>.</summary>
public sealed record DirectorClusterEvent(string Kind, string Detail);

public static class DirectorEventKinds
{
    public const string Appointed = "appointed";
    public const string Activated = "activated";
    public const string Coupled = "coupled";
    public const string PassiveLost = "passive-lost";
    public const string FailedOver = "failed-over";
    public const string SwitchOverRequested = "switch-over-requested";
    public const string SwitchedOver = "switched-over";
    public const string ShutDown = "shut-down";
    public const string NodeLossNotConfirmed = "node-loss-not-confirmed";
    public const string LossConfirmed = "loss-confirmed";

    /// <summary>The all-clear of <see cref="NodeLossNotConfirmed"/>: the instance judged lost is heard again.</summary>
    public const string LossCleared = "loss-cleared";
    public const string ClaimsConflict = "claims-conflict";
}
