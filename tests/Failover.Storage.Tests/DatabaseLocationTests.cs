using Failover.Storage;

namespace Failover.Storage.Tests;

public sealed class DatabaseLocationTests
{
    [Theory]
    [InlineData("sqlite:./data/cluster.db", DatabaseKind.Sqlite, "./data/cluster.db")]
    [InlineData("sqlite:/var/lib/failover/cluster.db", DatabaseKind.Sqlite, "/var/lib/failover/cluster.db")]
    [InlineData("postgres:Host=db;Database=cluster", DatabaseKind.PostgreSql, "Host=db;Database=cluster")]
    [InlineData("postgresql:Host=db;Database=cluster", DatabaseKind.PostgreSql, "Host=db;Database=cluster")]
    public void Parse_accepts_both_providers(string value, DatabaseKind kind, string connectionString)
    {
        Assert.Equal(new DatabaseLocation(kind, connectionString), DatabaseLocation.Parse(value));
    }

    [Fact]
    public void Default_is_a_sqlite_file()
    {
        Assert.Equal(DatabaseKind.Sqlite, DatabaseLocation.Parse(DatabaseLocation.Default).Kind);
    }

    [Theory]
    [InlineData("sqlite:", "needs a file path")]
    [InlineData("postgres:", "needs an Npgsql connection string")]
    [InlineData("postgresql:", "needs an Npgsql connection string")]
    [InlineData("mysql:Server=db", "must be sqlite:PATH or postgres:CONNECTION_STRING")]
    [InlineData("cluster.db", "must be sqlite:PATH or postgres:CONNECTION_STRING")]
    [InlineData("", "must be sqlite:PATH or postgres:CONNECTION_STRING")]
    public void Parse_rejects_other_forms_with_a_clear_message(string value, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DatabaseLocation.Parse(value));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Passwords_are_never_shown()
    {
        var location = DatabaseLocation.Parse("postgres:Host=db;Username=app;Password=hunter2;Database=c");
        Assert.Equal("postgres:Host=db;Username=app;Password=***;Database=c", location.ToString());

        var error = Assert.Throws<FormatException>(() => DatabaseLocation.Parse("pg:Host=db;pwd=hunter2"));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
