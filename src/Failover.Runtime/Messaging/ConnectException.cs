namespace Failover.Runtime.Messaging;

/// <summary>
/// Opening a connection to a peer failed. <see cref="Definite"/> is true when the peer's endpoint answered that the
/// addressed incarnation is not there (connection refused, or another generation listens there now).
/// </summary>
internal sealed class ConnectException : Exception
{
    public ConnectException(string message, bool definite, Exception? innerException = null) : base(message, innerException)
    {
        Definite = definite;
    }

    public ConnectException(string message) : base(message)
    {
    }

    public ConnectException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ConnectException()
    {
    }

    public bool Definite { get; }
}
