namespace Failover.Storage;

/// <summary>The database carries a schema version this binary does not know (it is newer).</summary>
public sealed class SchemaVersionException : Exception
{
    public SchemaVersionException(string message) : base(message)
    {
    }

    public SchemaVersionException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public SchemaVersionException()
    {
    }

    public int DatabaseVersion { get; init; }

    public int SupportedVersion { get; init; }
}
