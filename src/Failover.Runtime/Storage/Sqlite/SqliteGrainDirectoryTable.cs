using Failover.Runtime.Directory;
using Failover.Runtime.Grains;
using Failover.Runtime.Membership;
using static Failover.Runtime.Storage.Sqlite.SqliteCommands;

namespace Failover.Runtime.Storage.Sqlite;

/// <summary>The SQL grain directory on SQLite. A claim is one upsert, followed by a read of the row in the same transaction.</summary>
internal sealed class SqliteGrainDirectoryTable(SqliteConnections connections, string clusterId) : IGrainDirectoryTable
{
    private const string OwnerKey = "Address = @Address AND Port = @Port AND Generation = @Generation";

    private const string LookupSql = $"""
        SELECT {StorageRows.OwnerColumns} FROM FailoverGrainDirectory WHERE DeploymentId = @DeploymentId AND GrainId = @GrainId
        """;

    // A claim by the current owner itself (its earlier release failed) succeeds too, with a new epoch.
    private static readonly string ClaimSql = $"""
        INSERT INTO FailoverGrainDirectory (DeploymentId, GrainId, Address, Port, Generation, Epoch, ModifiedOn)
        VALUES (@DeploymentId, @GrainId, @Address, @Port, @Generation, 1, {Now})
        ON CONFLICT (DeploymentId, GrainId) DO UPDATE
        SET Address = excluded.Address, Port = excluded.Port, Generation = excluded.Generation,
            Epoch = FailoverGrainDirectory.Epoch + 1, ModifiedOn = excluded.ModifiedOn
        WHERE FailoverGrainDirectory.Address IS NULL
            OR (FailoverGrainDirectory.Address = excluded.Address AND FailoverGrainDirectory.Port = excluded.Port
                AND FailoverGrainDirectory.Generation = excluded.Generation)
            OR NOT EXISTS (
                SELECT 1 FROM OrleansMembershipTable m
                WHERE m.DeploymentId = FailoverGrainDirectory.DeploymentId AND m.Address = FailoverGrainDirectory.Address
                    AND m.Port = FailoverGrainDirectory.Port AND m.Generation = FailoverGrainDirectory.Generation
                    AND m.Status <> {(int)SiloStatus.Dead});
        {LookupSql};
        """;

    private const string ReleaseSql = $"""
        UPDATE FailoverGrainDirectory SET Address = NULL, Port = NULL, Generation = NULL, ModifiedOn = {Now}
        WHERE DeploymentId = @DeploymentId AND GrainId = @GrainId AND {OwnerKey} AND Epoch = @Epoch
        """;

    private const string ReleaseAllSql = $"""
        UPDATE FailoverGrainDirectory SET Address = NULL, Port = NULL, Generation = NULL, ModifiedOn = {Now}
        WHERE DeploymentId = @DeploymentId AND {OwnerKey}
        """;

    public Task<DirectoryEntry?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, LookupSql).With("DeploymentId", clusterId).With("GrainId", grain);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? StorageRows.ReadDirectoryEntry(reader, 0, grainId) : null;
            },
            cancellationToken);
    }

    public Task<DirectoryEntry> TryClaimAsync(GrainId grainId, SiloAddress claimant, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Silo(claimant);
        return connections.RunInTransactionAsync(
            async (connection, transaction, token) =>
            {
                DirectoryEntry entry;
                await using (var command = Create(connection, ClaimSql, transaction)
                    .With("DeploymentId", clusterId)
                    .With("GrainId", grain)
                    .WithSilo(claimant))
                {
                    await using var reader = await command.ExecuteReaderAsync(token);
                    entry = await reader.ReadAsync(token)
                        ? StorageRows.ReadDirectoryEntry(reader, 0, grainId)
                        : throw new InvalidOperationException($"Directory entry of grain {grainId} is missing right after claiming it.");
                }

                await transaction.CommitAsync(token);
                return entry;
            },
            cancellationToken);
    }

    public Task<bool> ReleaseAsync(GrainId grainId, SiloAddress owner, long epoch, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Silo(owner);
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, ReleaseSql)
                    .With("DeploymentId", clusterId)
                    .With("GrainId", grain)
                    .WithSilo(owner)
                    .With("Epoch", epoch);
                return await command.ExecuteNonQueryAsync(token) > 0;
            },
            cancellationToken);
    }

    public Task<int> ReleaseAllAsync(SiloAddress owner, CancellationToken cancellationToken)
    {
        ColumnLimits.Silo(owner);
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, ReleaseAllSql).With("DeploymentId", clusterId).WithSilo(owner);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }
}
