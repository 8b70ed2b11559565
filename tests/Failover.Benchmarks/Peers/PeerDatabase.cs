using Npgsql;

namespace Failover.Benchmarks.Peers;

/// <summary>
/// A database of its own for one system of the peers suite, on the one PostgreSQL server all of them share; dropped
/// (connections and all) on dispose.
/// </summary>
internal sealed class PeerDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private PeerDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, SearchPath = null }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The Npgsql connection string of the new database.</summary>
    public string ConnectionString { get; }

    public static async Task<PeerDatabase> CreateAsync(string serverConnectionString, string system, CancellationToken cancellationToken)
    {
        var database = new PeerDatabase(serverConnectionString, $"failover_peers_{system}_{Guid.NewGuid():N}"[..40]);
        await ExecuteAsync(serverConnectionString, $"CREATE DATABASE {database.Name}", cancellationToken);
        return database;
    }

    /// <summary>The server's settings that decide what a commit costs, for the report.</summary>
    public static async Task<string> DescribeServerAsync(string serverConnectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('max_connections')",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return $"PostgreSQL {reader.GetString(0)}, fsync={reader.GetString(1)}, synchronous_commit={reader.GetString(2)}, max_connections={reader.GetString(3)}";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ExecuteAsync(_serverConnectionString, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", timeout.Token);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
