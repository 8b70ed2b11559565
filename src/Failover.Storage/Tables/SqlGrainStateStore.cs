using Failover.Storage.Directory;
using Failover.Storage.Persistence;
using Failover.Storage.Sql;
using Orleans.Runtime;

namespace Failover.Storage.Tables;

/// <summary>
/// Versioned grain state, fenced by the directory epoch; each write is a guarded write of the dialect. On PostgreSQL
/// the fence reads the directory row FOR SHARE: a write and a competing claim of the same grain serialize, so once a
/// claim commits no write of the older epoch can. On SQLite each write runs under BEGIN IMMEDIATE, so the fence
/// check, the write and — on failure — the diagnostic read see one consistent database.
/// </summary>
internal sealed class SqlGrainStateStore(SqlDialect dialect, string serviceId, string clusterId) : IGrainStateStore
{
    private const string StateKey = "ServiceId = @ServiceId AND GrainId = @GrainId AND StateName = @StateName";

    private const string DiagnoseSql = $"""
        SELECT {StorageRows.OwnerColumns}, (SELECT Version FROM FailoverGrainState WHERE {StateKey})
        FROM (SELECT 1) one
        LEFT JOIN FailoverGrainDirectory ON DeploymentId = @DeploymentId AND GrainId = @GrainId
        """;

    private readonly string insertSql = $"""
        INSERT INTO FailoverGrainState (ServiceId, GrainId, StateName, Payload, Version, ModifiedOn)
        SELECT @ServiceId, @GrainId, @StateName, @Payload, 1, {dialect.Now}
        WHERE {Fence(dialect)}
        ON CONFLICT (ServiceId, GrainId, StateName) DO NOTHING
        RETURNING Version
        """;

    private readonly string updateSql = $"""
        UPDATE FailoverGrainState SET Payload = @Payload, Version = Version + 1, ModifiedOn = {dialect.Now}
        WHERE {StateKey} AND Version = @ExpectedVersion AND {Fence(dialect)}
        RETURNING Version
        """;

    private readonly string deleteSql = $"DELETE FROM FailoverGrainState WHERE {StateKey} AND Version = @ExpectedVersion AND {Fence(dialect)}";

    public Task<StoredGrainState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(stateName, ColumnLimits.Name, "state name");
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command($"SELECT Payload, Version FROM FailoverGrainState WHERE {StateKey}")
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain)
                    .WithText("StateName", stateName);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? new StoredGrainState(reader.GetString(0), reader.GetInt64(1)) : null;
            },
            cancellationToken);
    }

    public Task<long> WriteAsync(
        GrainId grainId, string stateName, string payload, long expectedVersion, ActivationFence fence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(stateName, ColumnLimits.Name, "state name");
        GrainStateConflict.Validate(grainId, expectedVersion, fence);
        return dialect.RunGuardedWriteAsync(
            async (session, token) =>
            {
                await using (var command = Parameters(session.Command(expectedVersion == 0 ? insertSql : updateSql), grain, stateName, expectedVersion, fence)
                    .WithText("Payload", payload))
                {
                    if (await command.ExecuteScalarAsync(token) is long version)
                    {
                        await session.CommitAsync(token);
                        return version;
                    }
                }

                var (directory, stored) = await DiagnoseAsync(session, grainId, grain, stateName, token);
                throw GrainStateConflict.Explain(grainId, stateName, expectedVersion, fence, directory, stored);
            },
            cancellationToken);
    }

    public Task ClearAsync(GrainId grainId, string stateName, long expectedVersion, ActivationFence fence, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(stateName, ColumnLimits.Name, "state name");
        GrainStateConflict.Validate(grainId, expectedVersion, fence);
        return dialect.RunGuardedWriteAsync(
            async (session, token) =>
            {
                if (expectedVersion > 0)
                {
                    await using var command = Parameters(session.Command(deleteSql), grain, stateName, expectedVersion, fence);
                    if (await command.ExecuteNonQueryAsync(token) > 0)
                    {
                        await session.CommitAsync(token);
                        return true;
                    }
                }

                // Nothing was deleted: fine only when there is no record to clear and the fence holds.
                var (directory, stored) = await DiagnoseAsync(session, grainId, grain, stateName, token);
                if (expectedVersion == 0 && stored == 0 && directory?.Owner is not null && directory.Epoch == fence.Epoch)
                {
                    return true;
                }

                throw GrainStateConflict.Explain(grainId, stateName, expectedVersion, fence, directory, stored);
            },
            cancellationToken);
    }

    // A silo declared Dead (status 6) may not write even before anyone re-claims its grains.
    private static string Fence(SqlDialect dialect) => $"""
        EXISTS (
            SELECT 1 FROM FailoverGrainDirectory d
            WHERE d.DeploymentId = @DeploymentId AND d.GrainId = @GrainId AND d.Epoch = @Epoch AND d.Address IS NOT NULL
                AND NOT EXISTS (
                    SELECT 1 FROM OrleansMembershipTable m
                    WHERE m.DeploymentId = d.DeploymentId AND m.Address = d.Address AND m.Port = d.Port
                        AND m.Generation = d.Generation AND m.Status = 6)
            {dialect.FenceLock})
        """;

    private DialectCommand Parameters(DialectCommand command, string grain, string stateName, long expectedVersion, ActivationFence fence) =>
        command
            .WithText("ServiceId", serviceId)
            .WithText("DeploymentId", clusterId)
            .WithText("GrainId", grain)
            .WithText("StateName", stateName)
            .With("ExpectedVersion", expectedVersion)
            .With("Epoch", fence.Epoch);

    private async Task<(DirectoryEntry? Directory, long StoredVersion)> DiagnoseAsync(
        SqlSession session, GrainId grainId, string grain, string stateName, CancellationToken cancellationToken)
    {
        await using var command = session.Command(DiagnoseSql)
            .WithText("ServiceId", serviceId)
            .WithText("DeploymentId", clusterId)
            .WithText("GrainId", grain)
            .WithText("StateName", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        // The directory row's Epoch is never NULL: NULL means there is no row. The stored version follows the owner columns.
        var directory = reader.IsDBNull(3) ? null : StorageRows.ReadDirectoryEntry(reader, 0, grainId);
        var stored = reader.IsDBNull(StorageRows.OwnerColumnCount) ? 0 : StorageRows.ReadInt64(reader, StorageRows.OwnerColumnCount);
        return (directory, stored);
    }
}
