using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Failover.Storage.Sqlite;

/// <summary>
/// Opens configured connections to the database file and runs work on them. SQLITE_BUSY is absorbed first by
/// busy_timeout, then by Microsoft.Data.Sqlite's own retry (until the command timeout, also for BEGIN IMMEDIATE);
/// what still escapes (a lock held across a WAL checkpoint or recovery) re-runs the whole unit of work a bounded
/// number of times — safe because a unit is one statement or one transaction that rolled back. A database that stays
/// locked, and file errors, become <see cref="DatabaseUnavailableException"/>.
/// </summary>
internal sealed class SqliteConnections(DatabaseLocation location, string fullPath, string connectionString, ILogger logger)
{
    private const int MaxAttempts = 3;
    private const int BusyTimeoutMilliseconds = 5000;

    // Result codes (primary): PERM, READONLY, IOERR, CORRUPT, CANTOPEN, FULL, AUTH, NOTADB.
    private static readonly int[] UnavailableCodes = [3, 8, 10, 11, 13, 14, 23, 26];

    private int prepared;

    public DatabaseLocation Location => location;

    public async Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(cancellationToken);
                return await work(connection, cancellationToken);
            }
            catch (SqliteException e) when (IsBusy(e) && attempt < MaxAttempts)
            {
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    logger.LogDebug("SQLite database {Database} is busy (attempt {Attempt} of {MaxAttempts}): {Reason}", location, attempt, MaxAttempts, e.Message);
                }
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
            catch (SqliteException e) when (IsBusy(e) || Array.IndexOf(UnavailableCodes, e.SqliteErrorCode) >= 0)
            {
                throw new DatabaseUnavailableException($"cannot use database {location}: {ClusterDatabase.OneLine(e.Message)}", e);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DatabaseUnavailableException($"cannot use database {location}: {ClusterDatabase.OneLine(e.Message)}", e);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in a BEGIN IMMEDIATE transaction that rolls back unless the work commits it.</summary>
    public Task<T> RunInTransactionAsync<T>(
        Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(
            async (connection, token) =>
            {
                await using var transaction = connection.BeginTransaction(deferred: false);
                return await work(connection, transaction, token);
            },
            cancellationToken);

    public void ClearPool()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static bool IsBusy(SqliteException e) => e.SqliteErrorCode is 5 or 6; // SQLITE_BUSY, SQLITE_LOCKED

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(1000, 25 << attempt) * (0.5 + Random.Shared.NextDouble()));

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var first = Volatile.Read(ref prepared) == 0;
        if (first && Path.GetDirectoryName(fullPath) is { Length: > 0 } directory)
        {
            System.IO.Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();

            // busy_timeout first, so that switching the file to WAL (once per instance; it persists) waits for locks.
            pragmas.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;"
                + (first ? " PRAGMA journal_mode = WAL;" : string.Empty);
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            Volatile.Write(ref prepared, 1);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
