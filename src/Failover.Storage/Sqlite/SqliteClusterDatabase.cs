using Failover.Storage.Tables;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Failover.Storage.Sqlite;

/// <summary>
/// The cluster tables in one SQLite file, shareable by several silo processes on one machine (WAL journal,
/// busy timeout, and BEGIN IMMEDIATE around every compare-and-swap).
/// </summary>
internal sealed class SqliteClusterDatabase : SqlClusterDatabase
{
    private readonly SqliteConnections connections;
    private readonly ILogger logger;

    private SqliteClusterDatabase(SqliteConnections connections, ILogger logger)
        : base(connections.Location, new SqliteDialect(connections))
    {
        this.connections = connections;
        this.logger = logger;
    }

    public static SqliteClusterDatabase Open(DatabaseLocation location, ILoggerFactory loggers)
    {
        var path = location.ConnectionString;
        if (path.Trim().Equals(":memory:", StringComparison.OrdinalIgnoreCase) || path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"--database {location}: give a file path; the cluster database must be a file that every silo can open.");
        }

        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new FormatException($"--database sqlite: '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a valid file path: {ClusterDatabase.OneLine(e.Message)}", e);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,

            // Seconds Microsoft.Data.Sqlite keeps retrying a busy command (and BEGIN IMMEDIATE) before it throws.
            DefaultTimeout = 10,
        }.ToString();
        var logger = loggers.CreateLogger<SqliteClusterDatabase>();
        return new SqliteClusterDatabase(new SqliteConnections(location, fullPath, connectionString, logger), logger);
    }

    public override Task<SchemaStatus> ApplySchemaAsync(CancellationToken cancellationToken) =>
        SqliteSchema.ApplyAsync(connections, logger, cancellationToken);

    public override Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) =>
        SqliteSchema.GetVersionAsync(connections, cancellationToken);

    public override ValueTask DisposeAsync()
    {
        connections.ClearPool();
        return ValueTask.CompletedTask;
    }
}
