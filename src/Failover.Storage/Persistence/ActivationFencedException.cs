using Orleans.Storage;

namespace Failover.Storage.Persistence;

/// <summary>
/// A durable write carried an epoch the grain directory no longer shows: this activation is no longer the owner. It
/// is an <see cref="InconsistentStateException"/>, so a grain treats it as Orleans' own conflict: reload or deactivate.
/// Serializable by Orleans, so a caller on another silo gets it too (not a CodecNotFoundException).
/// </summary>
[GenerateSerializer]
[Alias("Failover.ActivationFencedException")]
public sealed class ActivationFencedException : InconsistentStateException
{
    public ActivationFencedException(string message) : base(message)
    {
    }

    public ActivationFencedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ActivationFencedException()
    {
    }
}
