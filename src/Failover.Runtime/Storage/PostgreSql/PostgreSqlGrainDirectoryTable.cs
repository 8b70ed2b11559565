using Failover.Runtime.Directory;
using Failover.Runtime.Grains;
using Failover.Runtime.Membership;
using static Failover.Runtime.Storage.PostgreSql.PostgreSqlCommands;

namespace Failover.Runtime.Storage.PostgreSql;

/// <summary>The SQL grain directory on PostgreSQL. A claim is one upsert whose update branch is guarded by the owner's liveness.</summary>
internal sealed class PostgreSqlGrainDirectoryTable(PostgreSqlConnections connections, string clusterId) : IGrainDirectoryTable
{
    private const string OwnerKey = "Address = @Address AND Port = @Port AND Generation = @Generation";

    private const string LookupSql = $"""
        SELECT {StorageRows.OwnerColumns} FROM FailoverGrainDirectory WHERE DeploymentId = @DeploymentId AND GrainId = @GrainId
        """;

    // A claim by the current owner itself (its earlier release failed) succeeds too, with a new epoch that fences
    // whatever the earlier activation might still write.
    // ON CONFLICT DO UPDATE locks the existing row and evaluates the WHERE on its latest committed version, so
    // concurrent claimers are serialized and at most one of them replaces a given owner.
    private static readonly string ClaimSql = $"""
        INSERT INTO FailoverGrainDirectory AS d (DeploymentId, GrainId, Address, Port, Generation, Epoch, ModifiedOn)
        VALUES (@DeploymentId, @GrainId, @Address, @Port, @Generation, 1, {Now})
        ON CONFLICT (DeploymentId, GrainId) DO UPDATE
        SET Address = EXCLUDED.Address, Port = EXCLUDED.Port, Generation = EXCLUDED.Generation,
            Epoch = d.Epoch + 1, ModifiedOn = EXCLUDED.ModifiedOn
        WHERE d.Address IS NULL
            OR (d.Address = EXCLUDED.Address AND d.Port = EXCLUDED.Port AND d.Generation = EXCLUDED.Generation)
            OR NOT EXISTS (
                SELECT 1 FROM OrleansMembershipTable m
                WHERE m.DeploymentId = d.DeploymentId AND m.Address = d.Address AND m.Port = d.Port
                    AND m.Generation = d.Generation AND m.Status <> {(int)SiloStatus.Dead})
        RETURNING {StorageRows.OwnerColumns}
        """;

    private static readonly string ReleaseSql = $"""
        UPDATE FailoverGrainDirectory SET Address = NULL, Port = NULL, Generation = NULL, ModifiedOn = {Now}
        WHERE DeploymentId = @DeploymentId AND GrainId = @GrainId AND {OwnerKey} AND Epoch = @Epoch
        """;

    private static readonly string ReleaseAllSql = $"""
        UPDATE FailoverGrainDirectory SET Address = NULL, Port = NULL, Generation = NULL, ModifiedOn = {Now}
        WHERE DeploymentId = @DeploymentId AND {OwnerKey}
        """;

    public Task<DirectoryEntry?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, LookupSql).WithText("DeploymentId", clusterId).WithText("GrainId", grain);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? StorageRows.ReadDirectoryEntry(reader, 0, grainId) : null;
            },
            cancellationToken);
    }

    public async Task<DirectoryEntry> TryClaimAsync(GrainId grainId, SiloAddress claimant, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Silo(claimant);
        var claimed = await connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, ClaimSql)
                    .WithText("DeploymentId", clusterId)
                    .WithText("GrainId", grain)
                    .WithSilo(claimant);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? StorageRows.ReadDirectoryEntry(reader, 0, grainId) : null;
            },
            cancellationToken);

        // The claim was refused: read the owner in a new statement (a new snapshot that sees the winner's commit).
        return claimed
            ?? await LookupAsync(grainId, cancellationToken)
            ?? throw new InvalidOperationException($"Directory entry of grain {grainId} vanished while claiming it.");
    }

    public Task<bool> ReleaseAsync(GrainId grainId, SiloAddress owner, long epoch, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Silo(owner);
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, ReleaseSql)
                    .WithText("DeploymentId", clusterId)
                    .WithText("GrainId", grain)
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
                await using var command = Create(connection, ReleaseAllSql).WithText("DeploymentId", clusterId).WithSilo(owner);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }
}
