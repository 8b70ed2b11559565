using Microsoft.Extensions.Logging;
using Npgsql;

namespace Failover.Storage.PostgreSql;

/// <summary>
/// Applies sql/postgresql/ scripts: each missing one in its own transaction holding a database-wide advisory lock,
/// so silos starting together apply each script once (concurrent CREATE ... IF NOT EXISTS can still collide).
/// </summary>
internal static class PostgreSqlSchema
{
    // Any constant works; it only has to be the same in every binary. ASCII "FailSchm".
    private const long AdvisoryLockKey = 0x4661_696C_5363_686D;

    public static async Task<SchemaStatus> ApplyAsync(PostgreSqlConnections connections, ILogger logger, CancellationToken cancellationToken)
    {
        var scripts = SchemaScripts.For(DatabaseKind.PostgreSql);
        return await connections.RunAsync(
            async (connection, token) =>
            {
                var recorded = await ReadRecordedVersionsAsync(connection, null, token);
                var before = recorded.Count == 0 ? 0 : recorded.Max();
                SchemaScripts.ThrowIfNewer(connections.Location, before);

                var applied = new List<string>();
                foreach (var script in scripts.Where(s => !recorded.Contains(s.Version)))
                {
                    if (await ApplyScriptAsync(connection, script, token))
                    {
                        if (logger.IsEnabled(LogLevel.Information))
                        {
                            logger.LogInformation("Applied schema script {Script} to {Database}", script.Name, connections.Location);
                        }
                        applied.Add(script.Name);
                    }
                }

                var after = (await ReadRecordedVersionsAsync(connection, null, token)).Max();
                return new SchemaStatus(before, after, applied);
            },
            cancellationToken);
    }

    public static Task<int> GetVersionAsync(PostgreSqlConnections connections, CancellationToken cancellationToken) =>
        connections.RunAsync(
            async (connection, token) =>
            {
                var recorded = await ReadRecordedVersionsAsync(connection, null, token);
                return recorded.Count == 0 ? 0 : recorded.Max();
            },
            cancellationToken);

    /// <summary>False when another silo applied the script while this one waited for the lock.</summary>
    private static async Task<bool> ApplyScriptAsync(NpgsqlConnection connection, SchemaScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = PostgreSqlCommands.Create(connection, "SELECT pg_advisory_xact_lock(@Key)", transaction)
            .With("Key", AdvisoryLockKey))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        if ((await ReadRecordedVersionsAsync(connection, transaction, cancellationToken)).Contains(script.Version))
        {
            return false;
        }

        await using (var scriptCommand = PostgreSqlCommands.Create(connection, script.Sql, transaction))
        {
            await scriptCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = PostgreSqlCommands.Create(
                connection,
                $"""
                INSERT INTO FailoverSchemaVersion (Version, Name, AppliedOn)
                VALUES (@Version, @Name, {PostgreSqlCommands.Now})
                ON CONFLICT (Version) DO NOTHING
                """,
                transaction)
            .With("Version", script.Version)
            .WithText("Name", script.Name))
        {
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<HashSet<int>> ReadRecordedVersionsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        // Reads pg_class under the statement snapshot. to_regclass() would consult this backend's catalog cache,
        // which can still hold "no such table" from before another silo's script committed while we waited for the lock.
        await using (var exists = PostgreSqlCommands.Create(
            connection,
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = 'failoverschemaversion' AND n.nspname = ANY (current_schemas(false)))
            """,
            transaction))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return versions;
            }
        }

        await using var select = PostgreSqlCommands.Create(connection, "SELECT Version FROM FailoverSchemaVersion", transaction);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
