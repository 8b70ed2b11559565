namespace Failover.Agents.Dispatching;

/// <summary>
/// Another activation of the dispatcher holds its claim, or wrote one of its orders: this activation must stop. Its
/// write changed nothing.
/// </summary>
public sealed class StaleDispatcherException : Exception
{
    public StaleDispatcherException(string message) : base(message)
    {
    }

    public StaleDispatcherException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
