using Failover.Runtime.Directory;
using Failover.Runtime.Membership;
using Failover.Runtime.Persistence;
using Failover.Runtime.Reminders;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Failover.Runtime.Storage.PostgreSql;

/// <summary>The cluster tables in PostgreSQL, through one <see cref="NpgsqlDataSource"/> (connection pool).</summary>
internal sealed class PostgreSqlClusterDatabase : IClusterDatabase
{
    private const string ApplicationName = "Orleans.Failover";

    private readonly NpgsqlDataSource dataSource;
    private readonly PostgreSqlConnections connections;
    private readonly ILogger logger;

    private PostgreSqlClusterDatabase(DatabaseLocation location, NpgsqlDataSource dataSource, ILogger logger)
    {
        Location = location;
        this.dataSource = dataSource;
        this.logger = logger;
        connections = new PostgreSqlConnections(location, dataSource);
    }

    public DatabaseLocation Location { get; }

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

        return new PostgreSqlClusterDatabase(location, dataSource, loggers.CreateLogger<PostgreSqlClusterDatabase>());
    }

    public Task CheckConnectionAsync(CancellationToken cancellationToken) =>
        connections.RunAsync(static (_, _) => Task.FromResult(true), cancellationToken);

    public Task<SchemaStatus> ApplySchemaAsync(CancellationToken cancellationToken) =>
        PostgreSqlSchema.ApplyAsync(connections, logger, cancellationToken);

    public Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken) =>
        PostgreSqlSchema.GetVersionAsync(connections, cancellationToken);

    public IMembershipTable CreateMembershipTable(string clusterId) =>
        new PostgreSqlMembershipTable(connections, ColumnLimits.Check(clusterId, ColumnLimits.Name, "cluster id"));

    public IGrainDirectoryTable CreateGrainDirectory(string clusterId) =>
        new PostgreSqlGrainDirectoryTable(connections, ColumnLimits.Check(clusterId, ColumnLimits.Name, "cluster id"));

    public IReminderTable CreateReminderTable(string serviceId) =>
        new PostgreSqlReminderTable(connections, ColumnLimits.Check(serviceId, ColumnLimits.Name, "service id"));

    public IGrainStateStore CreateGrainStateStore(string serviceId, string clusterId) =>
        new PostgreSqlGrainStateStore(
            connections,
            ColumnLimits.Check(serviceId, ColumnLimits.Name, "service id"),
            ColumnLimits.Check(clusterId, ColumnLimits.Name, "cluster id"));

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
