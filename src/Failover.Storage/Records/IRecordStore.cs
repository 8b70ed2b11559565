using Failover.Storage.Persistence;

namespace Failover.Storage.Records;

/// <summary>
/// Durable keyed records of one service (FailoverRecords): the agents' own tables, e.g. orders. A record has a kind
/// (<c>order</c>), a key unique within the kind, the partition that owns it (the writer, e.g. a dispatcher), a short
/// status to filter on, and a JSON payload. <see cref="StoredRecord.Version"/> counts writes: updates and deletes name
/// the version they expect, so a stale writer cannot overwrite a newer record. Kind, key, partition and status must be
/// non-empty and fit their lengths; other values are refused with an <see cref="ArgumentException"/>.
/// </summary>
public interface IRecordStore
{
    /// <summary>Longest key, partition and kind (characters).</summary>
    public const int MaxKeyLength = 512;

    /// <summary>Longest status (characters).</summary>
    public const int MaxStatusLength = 64;

    /// <summary>
    /// Writes a batch in one transaction, in order: a write with <see cref="RecordWrite.ExpectedVersion"/> 0 inserts
    /// (only if no record has the key), any other updates (only if the stored version is the expected one). Each write
    /// that does not apply leaves the others alone: its result carries the record as stored (null when there is none).
    /// </summary>
    Task<IReadOnlyList<RecordWriteResult>> WriteAsync(string kind, IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="WriteAsync(string, IReadOnlyList{RecordWrite}, CancellationToken)"/> fenced by an activation's claim
    /// (DESIGN §4, invariant 1): in the same transaction, and before any of the writes, the directory row of
    /// <see cref="ActivationFence.GrainId"/> must show <see cref="ActivationFence.Epoch"/> with an owner whose silo is not
    /// Dead; it stays locked against a competing claim until the batch commits. Otherwise nothing is written and
    /// <see cref="ActivationFencedException"/> says what the directory shows. Needs a store created with a cluster id.
    /// </summary>
    Task<IReadOnlyList<RecordWriteResult>> WriteAsync(string kind, IReadOnlyList<RecordWrite> writes, ActivationFence fence, CancellationToken cancellationToken);

    /// <summary>Deletes the record if its version is <paramref name="expectedVersion"/>; false otherwise (or when absent).</summary>
    Task<bool> DeleteAsync(string kind, string key, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="DeleteAsync(string, string, long, CancellationToken)"/> under the fence of
    /// <see cref="WriteAsync(string, IReadOnlyList{RecordWrite}, ActivationFence, CancellationToken)"/>.
    /// </summary>
    Task<bool> DeleteAsync(string kind, string key, long expectedVersion, ActivationFence fence, CancellationToken cancellationToken);

    Task<StoredRecord?> ReadAsync(string kind, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Records of <paramref name="kind"/> matching <paramref name="query"/>, in ordinal key order: by Unicode code point,
    /// as both databases compare UTF-8 bytes (the same as <see cref="StringComparer.Ordinal"/> unless keys mix
    /// characters above U+FFFF with U+E000–U+FFFF).
    /// </summary>
    Task<IReadOnlyList<StoredRecord>> QueryAsync(string kind, RecordQuery query, CancellationToken cancellationToken);
}

/// <param name="Version">1 for a new record, one more per update.</param>
/// <param name="Updated">The database clock at the last write, UTC.</param>
public sealed record StoredRecord(string Key, string Partition, string Status, string Payload, long Version, DateTime Updated);

/// <param name="ExpectedVersion">0 = insert a new record; otherwise the version the stored record must have.</param>
public sealed record RecordWrite(string Key, string Partition, string Status, string Payload, long ExpectedVersion);

/// <summary>
/// Applied: <see cref="Version"/> is the new version and <see cref="Current"/> the record as written. Not applied:
/// <see cref="Current"/> is what is stored (or null) and <see cref="Version"/> its version (0 when none).
/// </summary>
public sealed record RecordWriteResult(bool Applied, long Version, StoredRecord? Current);

/// <summary>All filters are optional and combine with AND. Keys are returned in ordinal order, after <see cref="AfterKey"/>.</summary>
public sealed record RecordQuery
{
    public string? Partition { get; init; }

    /// <summary>Any of these statuses; null = any (an empty list matches nothing).</summary>
    public IReadOnlyList<string>? Statuses { get; init; }

    public string? KeyPrefix { get; init; }

    /// <summary>Keys greater than this one (paging).</summary>
    public string? AfterKey { get; init; }

    /// <summary>At most this many records (at least 1).</summary>
    public int Limit { get; init; } = 1000;
}
