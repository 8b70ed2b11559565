using Failover.Storage.Directory;
using Failover.Storage.Membership;
using Failover.Storage.Sql;
using Orleans.Runtime;

namespace Failover.Storage.Tables;

/// <summary>The SQL grain directory. A claim is one upsert whose update branch is guarded by the owner's liveness.</summary>
internal sealed class SqlGrainDirectoryTable(SqlDialect dialect, string clusterId) : IGrainDirectoryTable
{
    private const string OwnerKey = "Address = @Address AND Port = @Port AND Generation = @Generation";

    private const string Released = "Address = NULL, Port = NULL, Generation = NULL, ActivationId = NULL";

    private const string LookupSql = $"""
        SELECT {StorageRows.OwnerColumns} FROM FailoverGrainDirectory WHERE DeploymentId = @DeploymentId AND GrainId = @GrainId
        """;

    // A claim by the owner's silo itself (its earlier release failed) succeeds too, with a new epoch that fences
    // whatever the earlier activation might still write: Orleans keeps at most one activation of a grain per silo.
    // On PostgreSQL, ON CONFLICT DO UPDATE locks the existing row and evaluates the WHERE on its latest committed
    // version, so concurrent claimers are serialized and at most one of them replaces a given owner. On SQLite the
    // claim runs under BEGIN IMMEDIATE, which serializes claimers the same way.
    private readonly string claimSql = $"""
        INSERT INTO FailoverGrainDirectory (DeploymentId, GrainId, Address, Port, Generation, ActivationId, Epoch, ModifiedOn)
        VALUES (@DeploymentId, @GrainId, @Address, @Port, @Generation, @ActivationId, 1, {dialect.Now})
        ON CONFLICT (DeploymentId, GrainId) DO UPDATE
        SET Address = excluded.Address, Port = excluded.Port, Generation = excluded.Generation,
            ActivationId = excluded.ActivationId, Epoch = FailoverGrainDirectory.Epoch + 1, ModifiedOn = excluded.ModifiedOn
        WHERE FailoverGrainDirectory.Address IS NULL
            OR (FailoverGrainDirectory.Address = excluded.Address AND FailoverGrainDirectory.Port = excluded.Port
                AND FailoverGrainDirectory.Generation = excluded.Generation)
            OR (FailoverGrainDirectory.ActivationId = @ReplacingActivationId AND FailoverGrainDirectory.Address = @ReplacingAddress
                AND FailoverGrainDirectory.Port = @ReplacingPort AND FailoverGrainDirectory.Generation = @ReplacingGeneration)
            OR NOT EXISTS (
                SELECT 1 FROM OrleansMembershipTable m
                WHERE m.DeploymentId = FailoverGrainDirectory.DeploymentId AND m.Address = FailoverGrainDirectory.Address
                    AND m.Port = FailoverGrainDirectory.Port AND m.Generation = FailoverGrainDirectory.Generation
                    AND m.Status <> {(int)SiloStatus.Dead})
        {dialect.ClaimedRow(StorageRows.OwnerColumns, LookupSql)}
        """;

    private readonly string releaseSql = $"""
        UPDATE FailoverGrainDirectory SET {Released}, ModifiedOn = {dialect.Now}
        WHERE DeploymentId = @DeploymentId AND GrainId = @GrainId AND {OwnerKey} AND ActivationId = @ActivationId
        """;

    private readonly string releaseAllSql = $"""
        UPDATE FailoverGrainDirectory SET {Released}, ModifiedOn = {dialect.Now}
        WHERE DeploymentId = @DeploymentId AND {OwnerKey}
        """;

    public Task<DirectoryEntry?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(LookupSql).WithText("DeploymentId", clusterId).WithText("GrainId", grain);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? StorageRows.ReadDirectoryEntry(reader, 0, grainId) : null;
            },
            cancellationToken);
    }

    public async Task<DirectoryEntry> TryClaimAsync(GrainAddress claimant, GrainAddress? replacing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        var grainId = claimant.GrainId;
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Silo(claimant.SiloAddress!);
        var claimed = await dialect.RunGuardedWriteAsync(
            async (session, token) =>
            {
                DirectoryEntry? entry;
                await using (var command = session.Command(claimSql)
                    .WithText("DeploymentId", clusterId)
                    .WithText("GrainId", grain)
                    .WithSilo(claimant.SiloAddress!)
                    .WithText("ActivationId", claimant.ActivationId.ToParsableString())
                    .WithReplaced(replacing))
                {
                    await using var reader = await command.ExecuteReaderAsync(token);
                    entry = await reader.ReadAsync(token) ? StorageRows.ReadDirectoryEntry(reader, 0, grainId) : null;
                }

                await session.CommitAsync(token);
                return entry;
            },
            cancellationToken);

        // The claim was refused (PostgreSQL only; SQLite's claim reads the row back): read the owner in a new
        // statement (a new snapshot that sees the winner's commit).
        return claimed
            ?? await LookupAsync(grainId, cancellationToken)
            ?? throw new InvalidOperationException($"Directory entry of grain {grainId} vanished while claiming it.");
    }

    public Task<bool> ReleaseAsync(GrainAddress owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var grain = ColumnLimits.Grain(owner.GrainId);
        ColumnLimits.Silo(owner.SiloAddress!);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(releaseSql)
                    .WithText("DeploymentId", clusterId)
                    .WithText("GrainId", grain)
                    .WithSilo(owner.SiloAddress!)
                    .WithText("ActivationId", owner.ActivationId.ToParsableString());
                return await command.ExecuteNonQueryAsync(token) > 0;
            },
            cancellationToken);
    }

    public Task<int> ReleaseAllAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        ColumnLimits.Silo(silo);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(releaseAllSql).WithText("DeploymentId", clusterId).WithSilo(silo);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }
}
