using Failover.Storage;
using Npgsql;

namespace Failover.Storage.Tests;

/// <summary>
/// The providers on PostgreSQL (invariant Npgsql): a fresh schema (search_path) per test on the server named by
/// FAILOVER_TEST_POSTGRES. Without it these tests fail; tests/run-all.sh provides a private server. The providers'
/// sessions run in a time zone far from UTC, so a time stored or compared in the session's zone shows.
/// </summary>
public sealed class PostgreSqlProviderContractTests : ProviderContractTests
{
    public const string Variable = "FAILOVER_TEST_POSTGRES";

    private readonly string schema = $"failover_orleans_{Guid.NewGuid():N}";
    private string? serverConnectionString;
    private string? testConnectionString;

    protected override string Invariant => "Npgsql";

    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;

    protected override async Task<(DatabaseLocation Location, string ProviderConnectionString)> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL provider tests cannot run. Run tests/run-all.sh: it starts a private PostgreSQL server and sets {Variable}.");
        }

        await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        serverConnectionString = server;
        testConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        var providers = new NpgsqlConnectionStringBuilder(testConnectionString) { Timezone = "Pacific/Chatham" }.ConnectionString;
        return (new DatabaseLocation(DatabaseKind.PostgreSql, testConnectionString), providers);
    }

    protected override Task ExecuteSqlAsync(string sql) => ExecuteAsync(testConnectionString!, sql);

    protected override async Task<object?> QueryScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(testConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    protected override Task DropDatabaseAsync() =>
        serverConnectionString is null ? Task.CompletedTask : ExecuteAsync(serverConnectionString, $"DROP SCHEMA IF EXISTS {schema} CASCADE");

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
