using System.ComponentModel.DataAnnotations;

namespace Failover.Hosting.Tests;

public sealed class SiloDataDirectoryTests
{
    [Fact]
    public void An_explicit_data_directory_wins()
    {
        var options = new FailoverSiloOptions { Node = "n", DataDirectory = "/srv/failover", Database = "sqlite:/var/db/cluster.db" };

        Assert.Equal("/srv/failover", options.ResolveDataDirectory());
    }

    [Fact]
    public void Without_one_the_sqlite_database_directory_is_used()
    {
        var options = new FailoverSiloOptions { Node = "n", Database = "sqlite:/var/db/cluster.db" };

        Assert.Equal("/var/db", options.ResolveDataDirectory());
    }

    [Fact]
    public void Without_one_and_on_postgres_it_is_data_under_the_working_directory()
    {
        var options = new FailoverSiloOptions { Node = "n", Database = "postgres:Host=db" };

        Assert.Equal(Path.GetFullPath("./data"), options.ResolveDataDirectory());
    }

    [Fact]
    public void A_blank_data_directory_is_invalid()
    {
        var options = new FailoverSiloOptions { Node = "n", DataDirectory = "  " };

        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains("DataDirectory", StringComparison.Ordinal));
    }
}
