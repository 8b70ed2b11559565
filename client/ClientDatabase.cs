using Failover.Storage;

namespace Failover.Client;

/// <summary>
/// Opens the cluster's database for a client command, and refuses in one line a database no silo has set up: a
/// missing SQLite file (the client must not create one) or a database without the cluster schema.
/// </summary>
internal static class ClientDatabase
{
    public static async Task<IClusterDatabase> OpenAsync(DatabaseLocation location, CancellationToken cancellationToken)
    {
        if (location.Kind == DatabaseKind.Sqlite && !File.Exists(location.ConnectionString))
        {
            throw new DatabaseUnavailableException($"{location}: the database file does not exist (start a silo on it, or run 'silo init-db')");
        }

        var database = ClusterDatabase.Open(location);
        try
        {
            await database.CheckConnectionAsync(cancellationToken);
            if (await database.GetSchemaVersionAsync(cancellationToken) == 0)
            {
                throw new SchemaVersionException($"{location}: the database has no cluster schema (start a silo on it, or run 'silo init-db')");
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
}
