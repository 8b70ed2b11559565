using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using static Failover.Storage.Sqlite.SqliteCommands;

namespace Failover.Storage.Sqlite;

/// <summary>
/// Applies sql/sqlite/ scripts, each missing one in its own BEGIN IMMEDIATE transaction (SQLite DDL is
/// transactional), re-checking under the write lock so processes starting together apply each script once.
/// </summary>
internal static class SqliteSchema
{
    public static async Task<SchemaStatus> ApplyAsync(SqliteConnections connections, ILogger logger, CancellationToken cancellationToken)
    {
        var recorded = await connections.RunAsync((connection, token) => ReadRecordedVersionsAsync(connection, null, token), cancellationToken);
        var before = recorded.Count == 0 ? 0 : recorded.Max();
        SchemaScripts.ThrowIfNewer(connections.Location, before);

        var applied = new List<string>();
        foreach (var script in SchemaScripts.For(DatabaseKind.Sqlite).Where(s => !recorded.Contains(s.Version)))
        {
            if (await connections.RunInTransactionAsync((connection, transaction, token) => ApplyScriptAsync(connection, transaction, script, token), cancellationToken))
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Applied schema script {Script} to {Database}", script.Name, connections.Location);
                }
                applied.Add(script.Name);
            }
        }

        var after = await GetVersionAsync(connections, cancellationToken);
        return new SchemaStatus(before, after, applied);
    }

    public static Task<int> GetVersionAsync(SqliteConnections connections, CancellationToken cancellationToken) =>
        connections.RunAsync(
            async (connection, token) =>
            {
                var recorded = await ReadRecordedVersionsAsync(connection, null, token);
                return recorded.Count == 0 ? 0 : recorded.Max();
            },
            cancellationToken);

    /// <summary>False when another process applied the script first.</summary>
    private static async Task<bool> ApplyScriptAsync(
        SqliteConnection connection, SqliteTransaction transaction, SchemaScript script, CancellationToken cancellationToken)
    {
        if ((await ReadRecordedVersionsAsync(connection, transaction, cancellationToken)).Contains(script.Version))
        {
            return false;
        }

        await using (var scriptCommand = Create(connection, script.Sql, transaction))
        {
            await scriptCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = Create(
                connection,
                $"INSERT INTO FailoverSchemaVersion (Version, Name, AppliedOn) VALUES (@Version, @Name, {Now}) ON CONFLICT (Version) DO NOTHING",
                transaction)
            .With("Version", script.Version)
            .With("Name", script.Name))
        {
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<HashSet<int>> ReadRecordedVersionsAsync(
        SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        await using (var exists = Create(
            connection,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'FailoverSchemaVersion' COLLATE NOCASE",
            transaction))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is 0L)
            {
                return versions;
            }
        }

        await using var select = Create(connection, "SELECT Version FROM FailoverSchemaVersion", transaction);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }
}
