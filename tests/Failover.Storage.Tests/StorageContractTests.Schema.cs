using Failover.Storage;

namespace Failover.Storage.Tests;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Schema_apply_records_every_script_and_is_idempotent()
    {
        var scripts = SchemaScripts.For(Kind);
        var latest = SchemaScripts.LatestVersion(Kind);
        string[] common =
        [
            "001-schema-version.sql", "002-membership.sql", "003-reminders.sql", "004-grain-state.sql", "005-grain-directory.sql",
            "006-reminder-ticks.sql", "007-events.sql", "008-records.sql",
        ];

        // PostgreSQL alone has the batch-update function (SQLite runs per-row statements in-process), so the scripts for
        // Orleans' ADO.NET providers that follow are numbered one higher there.
        string[] expected = Kind == DatabaseKind.PostgreSql
            ?
            [
                .. common, "009-record-updates.sql", "010-orleans-query.sql", "011-orleans-clustering.sql",
                "012-orleans-reminders.sql", "013-orleans-storage.sql",
            ]
            : [.. common, "009-orleans-query.sql", "010-orleans-clustering.sql", "011-orleans-reminders.sql", "012-orleans-storage.sql"];
        Assert.Equal(expected, scripts.Select(s => s.Name));
        Assert.Equal(0, await Database.GetSchemaVersionAsync(None));

        var first = await Database.ApplySchemaAsync(None);
        Assert.Equal(0, first.VersionBefore);
        Assert.Equal(latest, first.VersionAfter);
        Assert.Equal(scripts.Select(s => s.Name), first.AppliedScripts);

        var second = await Database.ApplySchemaAsync(None);
        Assert.Equal(latest, second.VersionBefore);
        Assert.Equal(latest, second.VersionAfter);
        Assert.Empty(second.AppliedScripts);
        Assert.Equal(latest, await Database.GetSchemaVersionAsync(None));
    }

    [Fact]
    public async Task Schema_applied_by_several_instances_at_once_runs_each_script_once()
    {
        var instances = Enumerable.Range(0, 5).Select(_ => OpenAnotherInstance()).ToArray();
        try
        {
            var results = await Task.WhenAll(instances.Select(i => Task.Run(() => i.ApplySchemaAsync(None))));

            var applied = results.SelectMany(r => r.AppliedScripts).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(SchemaScripts.For(Kind).Select(s => s.Name), applied);
            Assert.All(results, r => Assert.Equal(SchemaScripts.LatestVersion(Kind), r.VersionAfter));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Schema_newer_than_this_binary_is_refused()
    {
        await Database.ApplySchemaAsync(None);
        var latest = SchemaScripts.LatestVersion(Kind);
        await ExecuteSqlAsync(
            $"INSERT INTO FailoverSchemaVersion (Version, Name, AppliedOn) VALUES ({latest + 1}, '{latest + 1:000}-future.sql', '2030-01-01 00:00:00.000')");

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => Database.ApplySchemaAsync(None));

        Assert.Equal(latest + 1, error.DatabaseVersion);
        Assert.Equal(latest, error.SupportedVersion);
        Assert.Contains($"schema version {latest + 1}", error.Message, StringComparison.Ordinal);
        Assert.Equal(latest + 1, await Database.GetSchemaVersionAsync(None));
    }
}
