namespace Failover.Runtime.Persistence;

/// <summary>A durable write carried an epoch the grain directory no longer shows: this activation is no longer the owner.</summary>
public sealed class ActivationFencedException : Exception
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
