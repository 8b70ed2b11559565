namespace Failover.Runtime.Grains;

/// <summary>A grain could not be activated on this silo; the inner exception, when present, says why.</summary>
public sealed class GrainActivationException : Exception
{
    public GrainActivationException(string message) : base(message)
    {
    }

    public GrainActivationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public GrainActivationException()
    {
    }
}
