using Failover.Storage.Directory;
using Failover.Storage.Events;
using Failover.Storage.Membership;
using Failover.Storage.Persistence;
using Failover.Storage.Records;

namespace Failover.Storage;

/// <summary>
/// One database holding the cluster's tables, with the same contract for PostgreSQL and SQLite.
/// Connection failures surface as <see cref="DatabaseUnavailableException"/>.
/// </summary>
public interface IClusterDatabase : IAsyncDisposable
{
    DatabaseLocation Location { get; }

    /// <summary>Opens a connection once; throws <see cref="DatabaseUnavailableException"/> with the reason.</summary>
    Task CheckConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies the scripts in sql/&lt;kind&gt;/ newer than the recorded schema version, each idempotent, recording
    /// each in FailoverSchemaVersion. Safe when several silos do it at once. Throws
    /// <see cref="SchemaVersionException"/> when the database is newer than this binary.
    /// </summary>
    Task<SchemaStatus> ApplySchemaAsync(CancellationToken cancellationToken);

    /// <summary>The schema version recorded in the database (0 when none).</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken);

    IMembershipRows CreateMembershipRows(string clusterId);

    IGrainDirectoryTable CreateGrainDirectory(string clusterId);

    /// <summary>State is kept per ServiceId; its write fence reads the directory of <paramref name="clusterId"/>.</summary>
    IGrainStateStore CreateGrainStateStore(string serviceId, string clusterId);

    IClusterEventLog CreateEventLog(string serviceId);

    /// <summary>The records (FailoverRecords) of <paramref name="serviceId"/>, for reading and unfenced writes.</summary>
    IRecordStore CreateRecordStore(string serviceId);

    /// <summary>The records of <paramref name="serviceId"/>; fenced writes read the directory of <paramref name="clusterId"/>.</summary>
    IRecordStore CreateRecordStore(string serviceId, string clusterId);
}
