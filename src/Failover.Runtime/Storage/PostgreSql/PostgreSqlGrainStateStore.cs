using Failover.Runtime.Grains;
using Failover.Runtime.Persistence;
using Npgsql;
using static Failover.Runtime.Storage.PostgreSql.PostgreSqlCommands;

namespace Failover.Runtime.Storage.PostgreSql;

/// <summary>
/// Versioned grain state on PostgreSQL, fenced by the directory epoch. The fence reads the directory row FOR SHARE:
/// a write and a competing claim of the same grain serialize, so once a claim commits no write of the older epoch can.
/// </summary>
internal sealed class PostgreSqlGrainStateStore(PostgreSqlConnections connections, string serviceId, string clusterId) : IGrainStateStore
{
    private const string StateKey = "ServiceId = @ServiceId AND GrainId = @GrainId AND StateName = @StateName";

    // A silo declared Dead (status 6) may not write even before anyone re-claims its grains.
    private const string Fence = """
        EXISTS (
            SELECT 1 FROM FailoverGrainDirectory d
            WHERE d.DeploymentId = @DeploymentId AND d.GrainId = @GrainId AND d.Epoch = @Epoch AND d.Address IS NOT NULL
                AND NOT EXISTS (
                    SELECT 1 FROM OrleansMembershipTable m
                    WHERE m.DeploymentId = d.DeploymentId AND m.Address = d.Address AND m.Port = d.Port
                        AND m.Generation = d.Generation AND m.Status = 6)
            FOR SHARE)
        """;

    private static readonly string InsertSql = $"""
        INSERT INTO FailoverGrainState (ServiceId, GrainId, StateName, Payload, Version, ModifiedOn)
        SELECT @ServiceId, @GrainId, @StateName, @Payload, 1, {Now}
        WHERE {Fence}
        ON CONFLICT (ServiceId, GrainId, StateName) DO NOTHING
        RETURNING Version
        """;

    private static readonly string UpdateSql = $"""
        UPDATE FailoverGrainState SET Payload = @Payload, Version = Version + 1, ModifiedOn = {Now}
        WHERE {StateKey} AND Version = @ExpectedVersion AND {Fence}
        RETURNING Version
        """;

    private const string DeleteSql = $"DELETE FROM FailoverGrainState WHERE {StateKey} AND Version = @ExpectedVersion AND {Fence}";

    private const string DiagnoseSql = $"""
        SELECT {StorageRows.OwnerColumns}, (SELECT Version FROM FailoverGrainState WHERE {StateKey})
        FROM (SELECT 1) one
        LEFT JOIN FailoverGrainDirectory ON DeploymentId = @DeploymentId AND GrainId = @GrainId
        """;

    public Task<StoredGrainState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(stateName, ColumnLimits.Name, "state name");
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, $"SELECT Payload, Version FROM FailoverGrainState WHERE {StateKey}")
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
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using (var command = Parameters(Create(connection, expectedVersion == 0 ? InsertSql : UpdateSql), grain, stateName, expectedVersion, fence)
                    .WithText("Payload", payload))
                {
                    if (await command.ExecuteScalarAsync(token) is long version)
                    {
                        return version;
                    }
                }

                throw await ExplainAsync(connection, grainId, grain, stateName, expectedVersion, fence, token);
            },
            cancellationToken);
    }

    public Task ClearAsync(GrainId grainId, string stateName, long expectedVersion, ActivationFence fence, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(stateName, ColumnLimits.Name, "state name");
        GrainStateConflict.Validate(grainId, expectedVersion, fence);
        return connections.RunAsync(
            async (connection, token) =>
            {
                if (expectedVersion > 0)
                {
                    await using var command = Parameters(Create(connection, DeleteSql), grain, stateName, expectedVersion, fence);
                    if (await command.ExecuteNonQueryAsync(token) > 0)
                    {
                        return true;
                    }
                }

                // Nothing was deleted: fine only when there is no record to clear and the fence holds.
                var (directory, stored) = await DiagnoseAsync(connection, grainId, grain, stateName, token);
                if (expectedVersion == 0 && stored == 0 && directory?.Owner is not null && directory.Epoch == fence.Epoch)
                {
                    return true;
                }

                throw GrainStateConflict.Explain(grainId, stateName, expectedVersion, fence, directory, stored);
            },
            cancellationToken);
    }

    private NpgsqlCommand Parameters(NpgsqlCommand command, string grain, string stateName, long expectedVersion, ActivationFence fence) =>
        command
            .WithText("ServiceId", serviceId)
            .WithText("DeploymentId", clusterId)
            .WithText("GrainId", grain)
            .WithText("StateName", stateName)
            .With("ExpectedVersion", expectedVersion)
            .With("Epoch", fence.Epoch);

    private async Task<Exception> ExplainAsync(
        NpgsqlConnection connection, GrainId grainId, string grain, string stateName, long expectedVersion, ActivationFence fence, CancellationToken cancellationToken)
    {
        var (directory, stored) = await DiagnoseAsync(connection, grainId, grain, stateName, cancellationToken);
        return GrainStateConflict.Explain(grainId, stateName, expectedVersion, fence, directory, stored);
    }

    private async Task<(Directory.DirectoryEntry? Directory, long StoredVersion)> DiagnoseAsync(
        NpgsqlConnection connection, GrainId grainId, string grain, string stateName, CancellationToken cancellationToken)
    {
        await using var command = Create(connection, DiagnoseSql)
            .WithText("ServiceId", serviceId)
            .WithText("DeploymentId", clusterId)
            .WithText("GrainId", grain)
            .WithText("StateName", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var directory = reader.IsDBNull(3) ? null : StorageRows.ReadDirectoryEntry(reader, 0, grainId);
        var stored = reader.IsDBNull(4) ? 0 : reader.GetInt64(4);
        return (directory, stored);
    }
}
