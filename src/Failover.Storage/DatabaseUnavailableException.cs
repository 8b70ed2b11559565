namespace Failover.Storage;

/// <summary>The database could not be reached or refused the connection; the message is fit for an operator.</summary>
public sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DatabaseUnavailableException(string message) : base(message)
    {
    }

    public DatabaseUnavailableException()
    {
    }
}
