using Failover.Storage;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;

namespace Failover.Host.Tests;

/// <summary>
/// Records every status a silo writes to its membership row, in a SQLite test database of its own: triggers on Orleans'
/// membership table append each inserted status and each change to a history table. No status goes unseen, however
/// briefly it stood (a graceful stop passes ShuttingDown in well under a second).
/// </summary>
public static class StatusHistory
{
    /// <summary>Applies the schema to <paramref name="database"/> (<c>sqlite:PATH</c>) and adds the history table and its triggers.</summary>
    public static async Task InstallAsync(string database)
    {
        await using (var cluster = ClusterDatabase.Open(DatabaseLocation.Parse(database)))
        {
            await cluster.ApplySchemaAsync(CancellationToken.None);
        }

        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE TestStatusHistory (Seq INTEGER PRIMARY KEY AUTOINCREMENT, SiloName TEXT NOT NULL, Status INTEGER NOT NULL);
            CREATE TRIGGER TestStatusInserted AFTER INSERT ON OrleansMembershipTable
            BEGIN
                INSERT INTO TestStatusHistory (SiloName, Status) VALUES (NEW.SiloName, NEW.Status);
            END;
            CREATE TRIGGER TestStatusChanged AFTER UPDATE OF Status ON OrleansMembershipTable WHEN NEW.Status <> OLD.Status
            BEGIN
                INSERT INTO TestStatusHistory (SiloName, Status) VALUES (NEW.SiloName, NEW.Status);
            END;
            """;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<IReadOnlyList<SiloStatus>> ReadAsync(string database, string node)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Status FROM TestStatusHistory WHERE SiloName = $node ORDER BY Seq";
        command.Parameters.AddWithValue("$node", node);
        var statuses = new List<SiloStatus>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statuses.Add((SiloStatus)reader.GetInt32(0));
        }

        return statuses;
    }

    private static async Task<SqliteConnection> OpenAsync(string database)
    {
        var connection = new SqliteConnection($"Data Source={DatabaseLocation.Parse(database).ConnectionString};Pooling=false");
        await connection.OpenAsync();
        return connection;
    }
}
