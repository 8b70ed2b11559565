using Failover.Storage;
using Microsoft.Data.Sqlite;

namespace Failover.Hosting.Storage;

/// <summary>How Orleans' official ADO.NET providers reach the cluster database: the invariant name and connection string.</summary>
public static class AdoNetConnection
{
    /// <summary>Orleans maps this invariant to Microsoft.Data.Sqlite (its shared ADO.NET code has no other vendor branch).</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    public const string PostgreSqlInvariant = "Npgsql";

    public static string Invariant(DatabaseLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Kind == DatabaseKind.Sqlite ? SqliteInvariant : PostgreSqlInvariant;
    }

    public static string ConnectionString(DatabaseLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Kind != DatabaseKind.Sqlite)
        {
            return location.ConnectionString;
        }

        // The file exists with WAL set by the schema (it persists); a busy file is retried for up to 5 s.
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(location.ConnectionString),
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = 5,
            Pooling = true,
        }.ToString();
    }
}
