using System.Data.Common;
using System.Text;
using Failover.Storage.Directory;
using Failover.Storage.Persistence;
using Failover.Storage.Records;
using Failover.Storage.Sql;
using Orleans.Runtime;

namespace Failover.Storage.Tables;

/// <summary>
/// The FailoverRecords table of one service. A batch of writes is one transaction: its inserts and updates go out as
/// one <see cref="DialectBatch"/>, then the reads of the records whose write was refused as another. Each refusal is
/// read in a later statement than its write, so on PostgreSQL it sees the competing writer's commit. A batch that
/// writes a key more than once is cut before each repeat, so a refused write reports the record as it stood at that write.
/// A fenced batch first reads the writer's directory row in the same transaction (FOR SHARE on PostgreSQL, under
/// BEGIN IMMEDIATE on SQLite), so a claim that replaces the writer either commits before the batch, which then writes
/// nothing, or waits until the batch has committed.
/// </summary>
internal sealed class SqlRecordStore(SqlDialect dialect, string serviceId, string? clusterId) : IRecordStore
{
    private const string Columns = "RecordKey, Partition, Status, Payload, Version, Updated";
    private const string KindScope = "ServiceId = @ServiceId AND Kind = @Kind";

    private const string ReadSql = $"SELECT {Columns} FROM FailoverRecords WHERE {KindScope} AND RecordKey = @Key";
    private const string DeleteSql = $"DELETE FROM FailoverRecords WHERE {KindScope} AND RecordKey = @Key AND Version = @ExpectedVersion";

    private readonly string insertSql = $"""
        INSERT INTO FailoverRecords (ServiceId, Kind, RecordKey, Partition, Status, Payload, Version, Updated)
        VALUES (@ServiceId, @Kind, @Key, @Partition, @Status, @Payload, 1, {dialect.Now})
        ON CONFLICT (ServiceId, Kind, RecordKey) DO NOTHING
        RETURNING Version, Updated
        """;

    private readonly string updateSql = $"""
        UPDATE FailoverRecords
        SET Partition = @Partition, Status = @Status, Payload = @Payload, Version = Version + 1, Updated = {dialect.Now}
        WHERE {KindScope} AND RecordKey = @Key AND Version = @ExpectedVersion
        RETURNING Version, Updated
        """;

    // The writer's directory row as it stands (and, on PostgreSQL, locked against a competing claim until the batch
    // commits), with whether its owner's silo is declared Dead (status 6): such a silo may not write even before
    // anyone re-claims its grains, as for fenced grain state.
    private readonly string fenceSql = $"""
        SELECT d.Address, d.Port, d.Generation, d.Epoch, d.ActivationId,
            CASE WHEN EXISTS (
                SELECT 1 FROM OrleansMembershipTable m
                WHERE m.DeploymentId = d.DeploymentId AND m.Address = d.Address AND m.Port = d.Port
                    AND m.Generation = d.Generation AND m.Status = {(int)SiloStatus.Dead}) THEN 1 ELSE 0 END
        FROM FailoverGrainDirectory d
        WHERE d.DeploymentId = @DeploymentId AND d.GrainId = @GrainId
        {dialect.FenceLock}
        """;

    public Task<IReadOnlyList<RecordWriteResult>> WriteAsync(string kind, IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken) =>
        WriteAsync(kind, writes, null, cancellationToken);

    public Task<IReadOnlyList<RecordWriteResult>> WriteAsync(
        string kind, IReadOnlyList<RecordWrite> writes, ActivationFence fence, CancellationToken cancellationToken) =>
        WriteAsync(kind, writes, (ActivationFence?)fence, cancellationToken);

    public Task<bool> DeleteAsync(string kind, string key, long expectedVersion, CancellationToken cancellationToken) =>
        DeleteAsync(kind, key, expectedVersion, null, cancellationToken);

    public Task<bool> DeleteAsync(string kind, string key, long expectedVersion, ActivationFence fence, CancellationToken cancellationToken) =>
        DeleteAsync(kind, key, expectedVersion, (ActivationFence?)fence, cancellationToken);

    private Task<IReadOnlyList<RecordWriteResult>> WriteAsync(
        string kind, IReadOnlyList<RecordWrite> writes, ActivationFence? fence, CancellationToken cancellationToken)
    {
        CheckKind(kind);
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes)
        {
            Check(write);
        }

        var grain = CheckFence(fence);
        if (writes.Count == 0 && fence is null)
        {
            return Task.FromResult<IReadOnlyList<RecordWriteResult>>([]);
        }

        return dialect.RunInTransactionAsync<IReadOnlyList<RecordWriteResult>>(
            async (session, token) =>
            {
                if (fence is { } held)
                {
                    await HoldFenceAsync(session, held, grain!, $"{writes.Count} record(s) of kind '{kind}'", token);
                }

                var results = new RecordWriteResult[writes.Count];
                var keys = new HashSet<string>(StringComparer.Ordinal);
                for (var start = 0; start < writes.Count;)
                {
                    keys.Clear();
                    var end = start;
                    while (end < writes.Count && keys.Add(writes[end].Key))
                    {
                        end++;
                    }

                    await WriteDistinctKeysAsync(session, kind, writes, start, end, results, token);
                    start = end;
                }

                await session.CommitAsync(token);
                return results;
            },
            cancellationToken);
    }

    private Task<bool> DeleteAsync(string kind, string key, long expectedVersion, ActivationFence? fence, CancellationToken cancellationToken)
    {
        CheckKind(kind);
        CheckKey(key);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        var grain = CheckFence(fence);
        if (fence is { } held)
        {
            return dialect.RunInTransactionAsync(
                async (session, token) =>
                {
                    await HoldFenceAsync(session, held, grain!, $"the deletion of record '{key}' of kind '{kind}'", token);
                    var deleted = await DeleteRowAsync(session, kind, key, expectedVersion, token);
                    await session.CommitAsync(token);
                    return deleted;
                },
                cancellationToken);
        }

        return dialect.RunAsync((session, token) => DeleteRowAsync(session, kind, key, expectedVersion, token), cancellationToken);
    }

    private async Task<bool> DeleteRowAsync(SqlSession session, string kind, string key, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = session.Command(DeleteSql)
            .WithText("ServiceId", serviceId)
            .WithText("Kind", kind)
            .WithText("Key", key)
            .With("ExpectedVersion", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The fence's grain id as stored, or null without a fence; a fence needs a store with a cluster id.</summary>
    private string? CheckFence(ActivationFence? fence)
    {
        if (fence is not { } held)
        {
            return null;
        }

        if (clusterId is null)
        {
            throw new InvalidOperationException("This record store was created without a cluster id: it cannot check a fence.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(held.Epoch);
        return ColumnLimits.Grain(held.GrainId);
    }

    /// <summary>Reads (and on PostgreSQL locks) the writer's directory row; throws unless it shows the fence's epoch, owned, on a silo not Dead.</summary>
    private async Task HoldFenceAsync(SqlSession session, ActivationFence fence, string grain, string what, CancellationToken cancellationToken)
    {
        DirectoryEntry? directory = null;
        var dead = false;
        await using (var command = session.Command(fenceSql).WithText("DeploymentId", clusterId).WithText("GrainId", grain))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                directory = StorageRows.ReadDirectoryEntry(reader, 0, fence.GrainId);
                dead = StorageRows.ReadInt32(reader, StorageRows.OwnerColumnCount) != 0;
            }
        }

        if (directory is { Owner: not null } && directory.Epoch == fence.Epoch && !dead)
        {
            return;
        }

        var shows = directory is null
            ? "no entry"
            : directory.Owner is null || directory.Epoch != fence.Epoch
                ? $"epoch {directory.Epoch} owned by {directory.Owner?.ToString() ?? "nobody"}"
                : $"that epoch owned by {directory.Owner}, a silo declared Dead";
        throw new ActivationFencedException(
            $"Write of {what} by grain {fence.GrainId} was fenced: it carried epoch {fence.Epoch} but the directory shows {shows}.");
    }

    public Task<StoredRecord?> ReadAsync(string kind, string key, CancellationToken cancellationToken)
    {
        CheckKind(kind);
        CheckKey(key);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(ReadSql).WithText("ServiceId", serviceId).WithText("Kind", kind).WithText("Key", key);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? ReadRecord(reader) : null;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<StoredRecord>> QueryAsync(string kind, RecordQuery query, CancellationToken cancellationToken)
    {
        CheckKind(kind);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        if (query.Partition is not null)
        {
            ColumnLimits.Check(query.Partition, IRecordStore.MaxKeyLength, "record partition");
        }

        var statuses = query.Statuses?.Distinct(StringComparer.Ordinal).ToArray();
        if (statuses is not null)
        {
            foreach (var status in statuses)
            {
                ColumnLimits.Check(status, IRecordStore.MaxStatusLength, "record status");
            }

            if (statuses.Length == 0)
            {
                return Task.FromResult<IReadOnlyList<StoredRecord>>([]);
            }
        }

        var prefix = CheckBound(query.KeyPrefix, "record key prefix");
        var afterKey = CheckBound(query.AfterKey, "record key to page after");
        var prefixEnd = prefix is { Length: > 0 } ? PrefixEnd(prefix) : null;

        var sql = new StringBuilder($"SELECT {Columns} FROM FailoverRecords WHERE {KindScope}");
        if (query.Partition is not null)
        {
            sql.Append(" AND Partition = @Partition");
        }

        if (statuses is not null)
        {
            sql.Append(" AND Status IN (").AppendJoin(", ", statuses.Select((_, i) => $"@Status{i}")).Append(')');
        }

        // A range rather than LIKE: SQLite's LIKE ignores ASCII case, and a range can use the primary key.
        if (prefix is { Length: > 0 })
        {
            sql.Append(" AND RecordKey >= @Prefix");
            if (prefixEnd is not null)
            {
                sql.Append(" AND RecordKey < @PrefixEnd");
            }
        }

        if (afterKey is not null)
        {
            sql.Append(" AND RecordKey > @AfterKey");
        }

        sql.Append(" ORDER BY RecordKey LIMIT @Limit");
        return dialect.RunAsync<IReadOnlyList<StoredRecord>>(
            async (session, token) =>
            {
                await using var command = session.Command(sql.ToString())
                    .WithText("ServiceId", serviceId)
                    .WithText("Kind", kind)
                    .With("Limit", query.Limit);
                if (query.Partition is not null)
                {
                    command.WithText("Partition", query.Partition);
                }

                if (statuses is not null)
                {
                    for (var i = 0; i < statuses.Length; i++)
                    {
                        command.WithText($"Status{i}", statuses[i]);
                    }
                }

                if (prefix is { Length: > 0 })
                {
                    command.WithText("Prefix", prefix);
                    if (prefixEnd is not null)
                    {
                        command.WithText("PrefixEnd", prefixEnd);
                    }
                }

                if (afterKey is not null)
                {
                    command.WithText("AfterKey", afterKey);
                }

                await using var reader = await command.ExecuteReaderAsync(token);
                var records = new List<StoredRecord>();
                while (await reader.ReadAsync(token))
                {
                    records.Add(ReadRecord(reader));
                }

                return records;
            },
            cancellationToken);
    }

    /// <summary>
    /// The least string above every string starting with <paramref name="prefix"/> in code point order (which is
    /// the byte order of UTF-8 both databases compare keys by): its last code point raised by one, after dropping
    /// trailing U+10FFFF. Null when the prefix is all U+10FFFF, i.e. no upper bound.
    /// </summary>
    internal static string? PrefixEnd(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last < 0x10FFFF)
            {
                runes.Add(new Rune(last + 1 == 0xD800 ? 0xE000 : last + 1));
                return string.Concat(runes);
            }
        }

        return null;
    }

    private static string CheckKind(string kind) => ColumnLimits.Check(kind, IRecordStore.MaxKeyLength, "record kind");

    private static string CheckKey(string key) => ColumnLimits.Check(key, IRecordStore.MaxKeyLength, "record key");

    private static void Check(RecordWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        CheckKey(write.Key);
        ColumnLimits.Check(write.Partition, IRecordStore.MaxKeyLength, "record partition");
        ColumnLimits.Check(write.Status, IRecordStore.MaxStatusLength, "record status");
        ArgumentNullException.ThrowIfNull(write.Payload);
        if (write.ExpectedVersion < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(write), write.ExpectedVersion, $"The expected version of record '{write.Key}' must not be negative.");
        }
    }

    private static string? CheckBound(string? value, string what)
    {
        if (value is { Length: > IRecordStore.MaxKeyLength })
        {
            throw new ArgumentException(
                $"{what} '{value[..40]}...' is {value.Length} characters long; at most {IRecordStore.MaxKeyLength} fit the table.");
        }

        return value;
    }

    // Where arrays bind (PostgreSQL), a batch's inserts are one statement and its updates another (the function of
    // schema 009, which looks each key up by itself): per-row statements cost more than the rows themselves.
    private readonly string insertRowsSql = $"""
        INSERT INTO FailoverRecords (ServiceId, Kind, RecordKey, Partition, Status, Payload, Version, Updated)
        SELECT @ServiceId, @Kind, v.k, v.p, v.s, v.d, 1, {dialect.Now}
        FROM unnest(@Keys::text[], @Partitions::text[], @Statuses::text[], @Payloads::text[]) AS v(k, p, s, d)
        ON CONFLICT (ServiceId, Kind, RecordKey) DO NOTHING
        RETURNING RecordKey, Version, Updated
        """;

    private const string UpdateRowsSql = """
        SELECT WriteIndex, NewVersion, NewUpdated
        FROM FailoverUpdateRecords(@ServiceId, @Kind, @Keys, @Partitions, @Statuses, @Payloads, @ExpectedVersions)
        """;

    /// <summary>Writes <c>writes[start..end)</c>, whose keys are distinct, and reads the records of those refused.</summary>
    private async Task WriteDistinctKeysAsync(
        SqlSession session,
        string kind,
        IReadOnlyList<RecordWrite> writes,
        int start,
        int end,
        RecordWriteResult[] results,
        CancellationToken cancellationToken)
    {
        if (dialect.BindsArrays)
        {
            await WriteRowsAsync(session, kind, writes, start, end, results, cancellationToken);
            await ReadRefusedAsync(session, kind, writes, [.. Enumerable.Range(start, end - start).Where(i => results[i] is null)], results, cancellationToken);
            return;
        }

        var batch = session.Batch();
        for (var i = start; i < end; i++)
        {
            var write = writes[i];
            var statement = batch.Add(write.ExpectedVersion == 0 ? insertSql : updateSql)
                .WithText("ServiceId", serviceId)
                .WithText("Kind", kind)
                .WithText("Key", write.Key)
                .WithText("Partition", write.Partition)
                .WithText("Status", write.Status)
                .WithText("Payload", write.Payload);
            if (write.ExpectedVersion != 0)
            {
                statement.With("ExpectedVersion", write.ExpectedVersion);
            }
        }

        var refused = new List<int>();
        await batch.ExecuteAsync(
            async (statement, reader, token) =>
            {
                var i = start + statement;
                if (!await reader.ReadAsync(token))
                {
                    refused.Add(i);
                    return;
                }

                var write = writes[i];
                var version = reader.GetInt64(0);
                var written = new StoredRecord(write.Key, write.Partition, write.Status, write.Payload, version, dialect.ReadTime(reader, 1));
                results[i] = new RecordWriteResult(Applied: true, version, written);
            },
            cancellationToken);

        await ReadRefusedAsync(session, kind, writes, refused, results, cancellationToken);
    }

    /// <summary>The array form: one statement for all inserts and one for all updates, in one round trip.</summary>
    private async Task WriteRowsAsync(
        SqlSession session, string kind, IReadOnlyList<RecordWrite> writes, int start, int end, RecordWriteResult[] results, CancellationToken cancellationToken)
    {
        var inserts = Enumerable.Range(start, end - start).Where(i => writes[i].ExpectedVersion == 0).ToList();
        var updates = Enumerable.Range(start, end - start).Where(i => writes[i].ExpectedVersion != 0).ToList();
        var byKey = inserts.ToDictionary(i => writes[i].Key, StringComparer.Ordinal);
        var batch = session.Batch();
        if (inserts.Count > 0)
        {
            batch.Add(insertRowsSql)
                .WithText("ServiceId", serviceId)
                .WithText("Kind", kind)
                .With("Keys", inserts.Select(i => writes[i].Key).ToArray())
                .With("Partitions", inserts.Select(i => writes[i].Partition).ToArray())
                .With("Statuses", inserts.Select(i => writes[i].Status).ToArray())
                .With("Payloads", inserts.Select(i => writes[i].Payload).ToArray());
        }

        if (updates.Count > 0)
        {
            batch.Add(UpdateRowsSql)
                .WithText("ServiceId", serviceId)
                .WithText("Kind", kind)
                .With("Keys", updates.Select(i => writes[i].Key).ToArray())
                .With("Partitions", updates.Select(i => writes[i].Partition).ToArray())
                .With("Statuses", updates.Select(i => writes[i].Status).ToArray())
                .With("Payloads", updates.Select(i => writes[i].Payload).ToArray())
                .With("ExpectedVersions", updates.Select(i => writes[i].ExpectedVersion).ToArray());
        }

        var first = inserts.Count > 0 ? 1 : 0;
        await batch.ExecuteAsync(
            async (statement, reader, token) =>
            {
                while (await reader.ReadAsync(token))
                {
                    if (statement < first)
                    {
                        Applied(byKey[reader.GetString(0)], reader.GetInt64(1), dialect.ReadTime(reader, 2));
                    }
                    else
                    {
                        Applied(updates[reader.GetInt32(0) - 1], reader.GetInt64(1), dialect.ReadTime(reader, 2));
                    }
                }
            },
            cancellationToken);

        void Applied(int i, long version, DateTime updated)
        {
            var write = writes[i];
            results[i] = new RecordWriteResult(Applied: true, version, new StoredRecord(write.Key, write.Partition, write.Status, write.Payload, version, updated));
        }
    }

    private async Task ReadRefusedAsync(
        SqlSession session, string kind, IReadOnlyList<RecordWrite> writes, List<int> refused, RecordWriteResult[] results, CancellationToken cancellationToken)
    {
        if (refused.Count == 0)
        {
            return;
        }

        var reads = session.Batch();
        foreach (var i in refused)
        {
            reads.Add(ReadSql).WithText("ServiceId", serviceId).WithText("Kind", kind).WithText("Key", writes[i].Key);
        }

        await reads.ExecuteAsync(
            async (statement, reader, token) =>
            {
                var stored = await reader.ReadAsync(token) ? ReadRecord(reader) : null;
                results[refused[statement]] = new RecordWriteResult(Applied: false, stored?.Version ?? 0, stored);
            },
            cancellationToken);
    }

    private StoredRecord ReadRecord(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), dialect.ReadTime(reader, 5));
}
