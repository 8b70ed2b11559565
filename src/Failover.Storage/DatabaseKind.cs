namespace Failover.Storage;

public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}
