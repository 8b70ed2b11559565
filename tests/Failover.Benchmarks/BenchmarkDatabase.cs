using Failover.Storage;
using Npgsql;

namespace Failover.Benchmarks;

/// <summary>
/// The database a suite's silos share: the one given with --database; else, when asked for and
/// FAILOVER_TEST_POSTGRES is set, a fresh schema on that PostgreSQL server (dropped afterwards); else a SQLite
/// file in the run's temporary directory.
/// </summary>
internal sealed class BenchmarkDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "FAILOVER_TEST_POSTGRES";

    private readonly string? _serverConnectionString;
    private readonly string? _schema;

    private BenchmarkDatabase(string setting, string? serverConnectionString = null, string? schema = null)
    {
        Setting = setting;
        _serverConnectionString = serverConnectionString;
        _schema = schema;
    }

    /// <summary>The silos' --database value.</summary>
    public string Setting { get; }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string Kind => DatabaseLocation.Parse(Setting).Kind == DatabaseKind.Sqlite ? "sqlite" : "postgres";

    public DatabaseLocation Location => DatabaseLocation.Parse(Setting);

    public static async Task<BenchmarkDatabase> CreateAsync(
        string? configured, bool postgresFromEnvironment, DirectoryInfo workDirectory, string name, CancellationToken cancellationToken)
    {
        if (configured is not null)
        {
            return new BenchmarkDatabase(configured);
        }

        var server = postgresFromEnvironment ? Environment.GetEnvironmentVariable(PostgresVariable) : null;
        if (string.IsNullOrWhiteSpace(server))
        {
            return new BenchmarkDatabase($"sqlite:{Path.Combine(workDirectory.FullName, $"{name}.db")}");
        }

        var schema = $"failover_bench_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}", cancellationToken);
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        return new BenchmarkDatabase($"postgres:{connectionString}", server, schema);
    }

    public async ValueTask DisposeAsync()
    {
        if (_serverConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ExecuteAsync(_serverConnectionString, $"DROP SCHEMA IF EXISTS {_schema} CASCADE", timeout.Token);
    }

    public override string ToString() => Location.ToString();

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
