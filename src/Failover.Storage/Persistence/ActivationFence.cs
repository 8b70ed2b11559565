using Orleans.Runtime;

namespace Failover.Storage.Persistence;

/// <summary>
/// The directory epoch an activation was granted. A durable write carrying it succeeds in SQL only while
/// the directory row still shows this epoch (DESIGN §4 Fencing; invariant 1).
/// </summary>
public readonly record struct ActivationFence(GrainId GrainId, long Epoch);
