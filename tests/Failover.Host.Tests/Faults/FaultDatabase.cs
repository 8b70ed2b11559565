using System.Net;
using Failover.Storage;
using Failover.Testing;
using Failover.Storage.Directory;
using Failover.Storage.Membership;
using Failover.Storage.Persistence;
using Npgsql;
using Orleans.Runtime;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// The database one fault test's silo processes share, with a ClusterId and ServiceId of its own: a temporary SQLite
/// file, or the PostgreSQL server in FAILOVER_TEST_POSTGRES. The test reads the tables straight from it.
/// </summary>
public sealed class FaultDatabase : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgres";
    public const string PostgresVariable = "FAILOVER_TEST_POSTGRES";

    private readonly TestDirectory? _directory;
    private readonly IClusterDatabase _database;

    private FaultDatabase(string setting, TestDirectory? directory)
    {
        Setting = setting;
        _directory = directory;
        _database = ClusterDatabase.Open(DatabaseLocation.Parse(setting));
        var unique = Guid.NewGuid().ToString("N")[..12];
        ClusterId = $"fault-{unique}";
        ServiceId = $"fault-svc-{unique}";
    }

    /// <summary>What <c>--database</c> gets.</summary>
    public string Setting { get; }

    public string ClusterId { get; }

    public string ServiceId { get; }

    /// <summary>Opens the database of <paramref name="kind"/> and applies the schema, so reads work before any silo has started.</summary>
    public static async Task<FaultDatabase> CreateAsync(string kind)
    {
        FaultDatabase database;
        switch (kind)
        {
            case Sqlite:
                var directory = new TestDirectory();
                database = new FaultDatabase(directory.SqliteDatabase, directory);
                break;
            case PostgreSql:
                var server = Environment.GetEnvironmentVariable(PostgresVariable);
                if (string.IsNullOrWhiteSpace(server))
                {
                    Assert.Fail($"{PostgresVariable} is not set, so the PostgreSQL variant of this process test cannot run. "
                        + $"Run tests/run-all.sh: it starts a private PostgreSQL server and sets {PostgresVariable}.");
                }

                database = new FaultDatabase($"postgres:{server}", directory: null);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "sqlite or postgres");
        }

        await database._database.ApplySchemaAsync(CancellationToken.None);
        return database;
    }

    /// <summary>
    /// The PostgreSQL server of FAILOVER_TEST_POSTGRES reached through a <see cref="TcpProxy"/> the test can cut: the silos
    /// (and the test's own reads) lose the database together while the proxy is disconnected. Dispose the database before
    /// the proxy, with the proxy connected.
    /// </summary>
    public static async Task<(FaultDatabase Database, TcpProxy Proxy)> CreatePostgreSqlBehindProxyAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } configured
            ? configured
            : throw new InvalidOperationException($"{PostgresVariable} is not set: run tests/run-all.sh, which starts a private PostgreSQL."));
        var address = (await Dns.GetHostAddressesAsync(server.Host ?? "127.0.0.1"))[0];
        var proxy = new TcpProxy(new IPEndPoint(address, server.Port));
        try
        {
            var throughProxy = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2, CommandTimeout = 2 };
            var database = new FaultDatabase($"postgres:{throughProxy}", directory: null);
            await database._database.ApplySchemaAsync(CancellationToken.None);
            return (database, proxy);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    public Task<MembershipRows> ReadMembershipAsync() =>
        _database.CreateMembershipRows(ClusterId).ReadAllAsync(CancellationToken.None);

    public Task<DirectoryEntry?> LookupAsync(GrainId grainId) =>
        _database.CreateGrainDirectory(ClusterId).LookupAsync(grainId, CancellationToken.None);

    public Task<StoredGrainState?> ReadStateAsync(GrainId grainId, string stateName) =>
        _database.CreateGrainStateStore(ServiceId, ClusterId).ReadAsync(grainId, stateName, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_directory is null)
        {
            await DeletePostgresRowsAsync();
        }

        await _database.DisposeAsync();
        _directory?.Dispose();
    }

    // The PostgreSQL server outlives the test: leave nothing of this cluster behind.
    private async Task DeletePostgresRowsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.Location.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM OrleansMembershipTable WHERE DeploymentId = @cluster;
            DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @cluster;
            DELETE FROM FailoverGrainDirectory WHERE DeploymentId = @cluster;
            DELETE FROM OrleansRemindersTable WHERE ServiceId = @service;
            DELETE FROM OrleansStorage WHERE ServiceId = @service;
            DELETE FROM FailoverGrainState WHERE ServiceId = @service;
            DELETE FROM FailoverReminderTicks WHERE ServiceId = @service;
            DELETE FROM FailoverEvents WHERE ServiceId = @service;
            DELETE FROM FailoverRecords WHERE ServiceId = @service;
            """;
        command.Parameters.AddWithValue("cluster", ClusterId);
        command.Parameters.AddWithValue("service", ServiceId);
        await command.ExecuteNonQueryAsync();
    }
}
