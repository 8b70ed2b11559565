using Failover.Storage;
using Microsoft.Data.Sqlite;

namespace Failover.Storage.Tests;

/// <summary>
/// The providers on SQLite (invariant System.Data.SQLite, which Orleans opens with Microsoft.Data.Sqlite): a fresh
/// database file per test, created and switched to WAL by our schema code as a silo does.
/// </summary>
public sealed class SqliteProviderContractTests : ProviderContractTests
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"failover-orleans-{Guid.NewGuid():N}");

    private string FilePath => Path.Combine(root, "cluster.db");

    /// <summary>As a silo would configure the providers: the file, with Microsoft.Data.Sqlite's defaults (pooling).</summary>
    private string ProviderConnectionString => new SqliteConnectionStringBuilder { DataSource = FilePath }.ToString();

    protected override string Invariant => "System.Data.SQLite";

    protected override DatabaseKind Kind => DatabaseKind.Sqlite;

    protected override Task<(DatabaseLocation Location, string ProviderConnectionString)> CreateDatabaseAsync() =>
        Task.FromResult((DatabaseLocation.Parse($"sqlite:{FilePath}"), ProviderConnectionString));

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<object?> QueryScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    protected override Task DropDatabaseAsync()
    {
        using (var pooled = new SqliteConnection(ProviderConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        if (System.IO.Directory.Exists(root))
        {
            System.IO.Directory.Delete(root, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }
}
