namespace Failover.Runtime.Activation;

internal enum ActivationState
{
    /// <summary>In the catalog; activates when its first turn is pumped.</summary>
    Created,

    /// <summary>Directory claimed, state read, OnActivateAsync done: runs turns.</summary>
    Valid,

    /// <summary>Accepts nothing new; finishing its last turns, OnDeactivateAsync, releasing its directory entry.</summary>
    Deactivating,

    /// <summary>Gone from the catalog. Work still in its mailbox is forwarded to a new activation.</summary>
    Invalid,
}
