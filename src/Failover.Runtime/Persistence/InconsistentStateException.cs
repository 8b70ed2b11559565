namespace Failover.Runtime.Persistence;

/// <summary>A state write found another version than the one it read: someone else wrote in between (Orleans' name).</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException(string message) : base(message)
    {
    }

    public InconsistentStateException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public InconsistentStateException()
    {
    }

    public long? StoredVersion { get; init; }

    public long? CurrentVersion { get; init; }
}
