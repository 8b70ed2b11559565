namespace Failover.Runtime.Grains;

/// <summary>The silo that would run the call is stopping, dead or unreachable.</summary>
public sealed class SiloUnavailableException : Exception
{
    public SiloUnavailableException(string message) : base(message)
    {
    }

    public SiloUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public SiloUnavailableException()
    {
    }
}
