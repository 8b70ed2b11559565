using Failover.Storage;
using Microsoft.Data.Sqlite;

namespace Failover.Storage.Tests;

/// <summary>The storage contract on SQLite: a fresh database file (in a directory that does not exist yet) per test.</summary>
public sealed class SqliteStorageContractTests : StorageContractTests
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"failover-storage-{Guid.NewGuid():N}");

    private string FilePath => Path.Combine(root, "nested", "cluster.db");

    protected override DatabaseKind Kind => DatabaseKind.Sqlite;

    protected override string Invariant => "System.Data.SQLite";

    /// <summary>As a silo configures Orleans' providers: the file, with Microsoft.Data.Sqlite's defaults (pooling).</summary>
    protected override string ProviderConnectionString => new SqliteConnectionStringBuilder { DataSource = FilePath }.ToString();

    protected override Task<IClusterDatabase> CreateDatabaseAsync() => Task.FromResult(OpenAnotherInstance());

    protected override IClusterDatabase OpenAnotherInstance() => ClusterDatabase.Open(DatabaseLocation.Parse($"sqlite:{FilePath}"));

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
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

    [Fact]
    public async Task Opening_creates_the_missing_directory_and_switches_the_file_to_wal()
    {
        Assert.False(System.IO.Directory.Exists(Path.GetDirectoryName(FilePath)));

        await Database.CheckConnectionAsync(None);

        Assert.True(File.Exists(FilePath));
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public void Malformed_path_is_a_format_error()
    {
        var nul = Assert.Throws<FormatException>(() => ClusterDatabase.Open(new DatabaseLocation(DatabaseKind.Sqlite, "bad\0path.db")));
        Assert.DoesNotContain('\n', nul.Message);
        Assert.Throws<FormatException>(() => ClusterDatabase.Open(DatabaseLocation.Parse("sqlite::memory:")));
    }

    [Fact]
    public async Task A_file_that_cannot_be_opened_is_reported_as_unavailable()
    {
        System.IO.Directory.CreateDirectory(root);
        var blocker = Path.Combine(root, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "x");

        await using var isDirectory = ClusterDatabase.Open(DatabaseLocation.Parse($"sqlite:{root}"));
        await using var underFile = ClusterDatabase.Open(DatabaseLocation.Parse($"sqlite:{Path.Combine(blocker, "cluster.db")}"));

        var first = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => isDirectory.CheckConnectionAsync(None));
        var second = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => underFile.ApplySchemaAsync(None));
        Assert.StartsWith($"cannot use database sqlite:{root}", first.Message, StringComparison.Ordinal);
        Assert.Contains("not-a-directory", second.Message, StringComparison.Ordinal);
    }
}
