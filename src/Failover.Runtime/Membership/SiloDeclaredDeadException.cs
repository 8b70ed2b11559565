namespace Failover.Runtime.Membership;

/// <summary>The membership table shows this silo Dead: it must not act any more and exits.</summary>
public sealed class SiloDeclaredDeadException : Exception
{
    public SiloDeclaredDeadException(string message) : base(message)
    {
    }

    public SiloDeclaredDeadException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public SiloDeclaredDeadException()
    {
    }
}
