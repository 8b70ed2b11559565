namespace Failover.Runtime.Membership;

/// <summary>Sends one membership probe to another silo (implemented by the transport).</summary>
public interface IProbeSender
{
    /// <summary>
    /// Completes when the silo answered within <paramref name="timeout"/>. Throws <see cref="ProbeFailedException"/>
    /// otherwise; <see cref="ProbeFailedException.Refused"/> is true when the connection was refused outright (nothing
    /// listens on that port any more), which counts as a definite failure at once.
    /// </summary>
    Task ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken);
}

public sealed class ProbeFailedException : Exception
{
    public ProbeFailedException(string message, bool refused, Exception? innerException = null) : base(message, innerException)
    {
        Refused = refused;
    }

    public ProbeFailedException(string message) : base(message)
    {
    }

    public ProbeFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ProbeFailedException()
    {
    }

    public bool Refused { get; }
}
