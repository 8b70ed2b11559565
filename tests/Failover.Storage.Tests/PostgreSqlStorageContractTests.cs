using System.Net;
using System.Net.Sockets;
using Failover.Storage;
using Npgsql;

namespace Failover.Storage.Tests;

/// <summary>
/// The storage contract on PostgreSQL: a fresh schema (search_path) per test on the server named by
/// FAILOVER_TEST_POSTGRES. Without it these tests fail; tests/run-all.sh provides a private server.
/// </summary>
public sealed class PostgreSqlStorageContractTests : StorageContractTests
{
    public const string Variable = "FAILOVER_TEST_POSTGRES";

    private readonly string schema = $"failover_test_{Guid.NewGuid():N}";
    private string? serverConnectionString;
    private string? testConnectionString;

    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;

    protected override string Invariant => "Npgsql";

    protected override string ProviderConnectionString =>
        testConnectionString ?? throw new InvalidOperationException("The test schema does not exist yet.");

    protected override async Task<IClusterDatabase> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL storage tests cannot run. Run tests/run-all.sh: it starts a private PostgreSQL server and sets {Variable}.");
        }

        await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        serverConnectionString = server;
        testConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        return OpenAnotherInstance();
    }

    protected override IClusterDatabase OpenAnotherInstance() =>
        ClusterDatabase.Open(new DatabaseLocation(DatabaseKind.PostgreSql, testConnectionString!));

    protected override Task ExecuteSqlAsync(string sql) => ExecuteAsync(testConnectionString!, sql);

    protected override Task DropDatabaseAsync() =>
        serverConnectionString is null ? Task.CompletedTask : ExecuteAsync(serverConnectionString, $"DROP SCHEMA IF EXISTS {schema} CASCADE");

    [Fact]
    public async Task Unreachable_server_is_reported_as_unavailable_without_the_password()
    {
        var port = ClosedPort();
        await using var database = ClusterDatabase.Open(
            DatabaseLocation.Parse($"postgres:Host=127.0.0.1;Port={port};Username=app;Password=hunter2;Timeout=2"));

        var errors = new[]
        {
            await Assert.ThrowsAsync<DatabaseUnavailableException>(() => database.CheckConnectionAsync(None)),
            await Assert.ThrowsAsync<DatabaseUnavailableException>(() => database.ApplySchemaAsync(None)),
            await Assert.ThrowsAsync<DatabaseUnavailableException>(() => database.CreateMembershipRows("c").ReadAllAsync(None)),
            await Assert.ThrowsAsync<DatabaseUnavailableException>(() => database.CreateRecordStore("s").ReadAsync("k", "r", None)),
        };

        Assert.All(errors, e =>
        {
            Assert.StartsWith($"cannot reach database postgres:Host=127.0.0.1;Port={port};", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        });
    }

    [Theory]
    [InlineData("Hots=localhost;Password=hunter2")]
    [InlineData("Host=localhost;Port=not-a-number;Password=hunter2")]
    [InlineData("Host=localhost;Password=hunter2;Port")]
    public void Malformed_connection_string_is_a_format_error(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => ClusterDatabase.Open(DatabaseLocation.Parse($"postgres:{connectionString}")));

        Assert.StartsWith("--database postgres: not a valid Npgsql connection string: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
