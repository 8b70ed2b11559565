using Orleans.Runtime;

namespace Failover.Storage.Directory;

/// <summary>
/// Who owns a grain's single activation: the silo and its activation. <see cref="Epoch"/> grows by one on every
/// successful claim and never goes back (a release keeps the row with no owner), so it can fence every durable write.
/// </summary>
public sealed record DirectoryEntry(GrainId GrainId, SiloAddress? Owner, ActivationId Activation, long Epoch);
