namespace Failover.Runtime.Grains;

/// <summary>A grain call did not complete before its deadline.</summary>
public sealed class GrainCallTimeoutException : TimeoutException
{
    public GrainCallTimeoutException(string message) : base(message)
    {
    }

    public GrainCallTimeoutException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public GrainCallTimeoutException()
    {
    }
}
