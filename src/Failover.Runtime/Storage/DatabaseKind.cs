namespace Failover.Runtime.Storage;

public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}
