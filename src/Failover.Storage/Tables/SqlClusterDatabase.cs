using Failover.Storage.Directory;
using Failover.Storage.Events;
using Failover.Storage.Membership;
using Failover.Storage.Persistence;
using Failover.Storage.Records;
using Failover.Storage.Sql;

namespace Failover.Storage.Tables;

/// <summary>The cluster tables over a <see cref="SqlDialect"/>; each provider adds its schema and its disposal.</summary>
internal abstract class SqlClusterDatabase(DatabaseLocation location, SqlDialect dialect) : IClusterDatabase
{
    public DatabaseLocation Location => location;

    public Task CheckConnectionAsync(CancellationToken cancellationToken) =>
        dialect.RunAsync(static (_, _) => Task.FromResult(true), cancellationToken);

    public abstract Task<SchemaStatus> ApplySchemaAsync(CancellationToken cancellationToken);

    public abstract Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    public IMembershipRows CreateMembershipRows(string clusterId) =>
        new SqlMembershipRows(dialect, ColumnLimits.Check(clusterId, ColumnLimits.Name, "cluster id"));

    public IGrainDirectoryTable CreateGrainDirectory(string clusterId) =>
        new SqlGrainDirectoryTable(dialect, ColumnLimits.Check(clusterId, ColumnLimits.Name, "cluster id"));

    public IGrainStateStore CreateGrainStateStore(string serviceId, string clusterId) =>
        new SqlGrainStateStore(
            dialect,
            ColumnLimits.Check(serviceId, ColumnLimits.Name, "service id"),
            ColumnLimits.Check(clusterId, ColumnLimits.Name, "cluster id"));

    public IClusterEventLog CreateEventLog(string serviceId) =>
        new SqlClusterEventLog(dialect, ColumnLimits.Check(serviceId, ColumnLimits.Name, "service id"));

    public IRecordStore CreateRecordStore(string serviceId) =>
        new SqlRecordStore(dialect, ColumnLimits.Check(serviceId, ColumnLimits.Name, "service id"), null);

    public IRecordStore CreateRecordStore(string serviceId, string clusterId) =>
        new SqlRecordStore(
            dialect,
            ColumnLimits.Check(serviceId, ColumnLimits.Name, "service id"),
            ColumnLimits.Check(clusterId, ColumnLimits.Name, "cluster id"));

    public abstract ValueTask DisposeAsync();
}
