using Failover.Storage;
using Microsoft.Data.Sqlite;

namespace Failover.Client;

/// <summary>
/// Opens the cluster's database for a client command, and refuses in one line a database no silo has set up: a
/// missing SQLite file (the client must not create one) or a database without the cluster schema. A SQLite file is
/// looked at before it is opened for use (which would switch it to WAL and so rewrite it): an empty file, one that is
/// not SQLite, or one without the cluster schema is left exactly as it was.
/// </summary>
internal static class ClientDatabase
{
    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    public static async Task<IClusterDatabase> OpenAsync(DatabaseLocation location, CancellationToken cancellationToken)
    {
        if (location.Kind == DatabaseKind.Sqlite)
        {
            await ProbeSqliteAsync(location, cancellationToken);
        }

        var database = ClusterDatabase.Open(location);
        try
        {
            await database.CheckConnectionAsync(cancellationToken);
            if (await database.GetSchemaVersionAsync(cancellationToken) == 0)
            {
                throw NoSchema(location);
            }

            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Checks the database, then leaves it: for commands that go on through a gateway.</summary>
    public static async Task CheckAsync(DatabaseLocation location, CancellationToken cancellationToken) =>
        await (await OpenAsync(location, cancellationToken)).DisposeAsync();

    private static async Task ProbeSqliteAsync(DatabaseLocation location, CancellationToken cancellationToken)
    {
        var path = location.ConnectionString;
        if (Directory.Exists(path))
        {
            throw new DatabaseUnavailableException($"{location}: is a directory, not a database file");
        }

        if (!File.Exists(path))
        {
            throw new DatabaseUnavailableException($"{location}: the database file does not exist (start a silo on it, or run 'silo init-db')");
        }

        var header = new byte[SqliteHeader.Length];
        int read;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new DatabaseUnavailableException($"{location}: cannot read the database file ({(exception is UnauthorizedAccessException ? "permission denied" : exception.Message)})");
        }

        if (read == 0)
        {
            throw NoSchema(location, " (the file is empty)");
        }

        if (read < header.Length || !header.AsSpan().SequenceEqual(SqliteHeader))
        {
            throw new DatabaseUnavailableException($"{location}: not a SQLite database file");
        }

        // A plain read-write connection (no create, no pragmas): reading sqlite_master changes nothing in the file.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        bool hasSchema;
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'FailoverSchemaVersion'";
            hasSchema = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        catch (SqliteException exception)
        {
            throw new DatabaseUnavailableException($"{location}: cannot read the database ({OneLine(exception.Message)})");
        }

        if (!hasSchema)
        {
            throw NoSchema(location);
        }
    }

    private static SchemaVersionException NoSchema(DatabaseLocation location, string why = "") =>
        new($"{location}: the database has no cluster schema{why} (start a silo on it, or run 'silo init-db')");

    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
