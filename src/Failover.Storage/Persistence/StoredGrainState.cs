namespace Failover.Storage.Persistence;

/// <summary>A grain state record as stored: JSON payload and its version (0 = no record).</summary>
public sealed record StoredGrainState(string Payload, long Version);
