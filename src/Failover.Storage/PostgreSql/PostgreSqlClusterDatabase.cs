using Failover.Storage.Tables;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Failover.Storage.PostgreSql;

/// <summary>The cluster tables in PostgreSQL, through one <see cref="NpgsqlDataSource"/> (connection pool).</summary>
internal sealed class PostgreSqlClusterDatabase : SqlClusterDatabase
{
    private const string ApplicationName = "Orleans.Failover";

    private readonly NpgsqlDataSource dataSource;
    private readonly PostgreSqlConnections connections;
    private readonly ILogger logger;

    private PostgreSqlClusterDatabase(PostgreSqlConnections connections, NpgsqlDataSource dataSource, ILogger logger)
        : base(connections.Location, new PostgreSqlDialect(connections))
    {
        this.connections = connections;
        this.dataSource = dataSource;
        this.logger = logger;
    }

    public static PostgreSqlClusterDatabase Open(DatabaseLocation location, ILoggerFactory loggers)
    {
        NpgsqlDataSource dataSource;
        try
        {
            var builder = new NpgsqlDataSourceBuilder(location.ConnectionString);
            if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            {
                builder.ConnectionStringBuilder.ApplicationName = ApplicationName;
            }

            dataSource = builder.Build();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException or NotSupportedException)
        {
            // The connection string itself is not echoed: a mistyped keyword would escape password redaction.
            var reason = e is ArgumentException { ParamName: { } parameter }
                ? e.Message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal)
                : e.Message;
            throw new FormatException($"--database postgres: not a valid Npgsql connection string: {ClusterDatabase.OneLine(reason)}", e);
        }

        return new PostgreSqlClusterDatabase(
            new PostgreSqlConnections(location, dataSource), dataSource, loggers.CreateLogger<PostgreSqlClusterDatabase>());
    }

    public override Task<SchemaStatus> ApplySchemaAsync(CancellationToken cancellationToken) =>
        PostgreSqlSchema.ApplyAsync(connections, logger, cancellationToken);

    public override Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) =>
        PostgreSqlSchema.GetVersionAsync(connections, cancellationToken);

    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
