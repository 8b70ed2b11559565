namespace Failover.Runtime.Messaging;

/// <summary>A peer broke the wire protocol (bad length, malformed JSON, wrong cluster, ...): its connection is closed.</summary>
internal sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException(string message) : base(message)
    {
    }

    public ProtocolViolationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ProtocolViolationException()
    {
    }
}
