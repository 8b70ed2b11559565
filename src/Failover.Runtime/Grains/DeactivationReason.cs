namespace Failover.Runtime.Grains;

public enum DeactivationReason
{
    /// <summary>Idle longer than the collection age.</summary>
    Idle,

    /// <summary>The grain asked for it with DeactivateOnIdle.</summary>
    ApplicationRequested,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,

    /// <summary>The activation lost its directory entry or its fence.</summary>
    Fenced,

    /// <summary>OnActivateAsync failed.</summary>
    ActivationFailed,
}
