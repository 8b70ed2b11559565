using System.Reflection;
using System.Text.RegularExpressions;
using Failover.Storage;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;

namespace Failover.Storage.Tests;

public abstract partial class ProviderContractTests
{
    /// <summary>Every key the official clustering, reminders and persistence providers (10.4.2) read from OrleansQuery.</summary>
    public static readonly string[] QueryKeys =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
    ];

    [Fact]
    public async Task Every_query_key_is_present_once()
    {
        foreach (var key in QueryKeys)
        {
            Assert.Equal(1L, Convert.ToInt64(await QueryScalarAsync($"SELECT count(*) FROM OrleansQuery WHERE QueryKey = '{key}'"), null));
        }

        Assert.Equal((long)QueryKeys.Length, Convert.ToInt64(await QueryScalarAsync("SELECT count(*) FROM OrleansQuery"), null));
    }

    /// <summary>
    /// No query text manages a transaction: on SQLite a statement failing between BEGIN and COMMIT would hand its pooled
    /// connection back with the write transaction open, locking every other connection out.
    /// </summary>
    [Fact]
    public async Task No_query_text_opens_a_transaction()
    {
        foreach (var key in QueryKeys)
        {
            var text = (string?)await QueryScalarAsync($"SELECT QueryText FROM OrleansQuery WHERE QueryKey = '{key}'");
            Assert.NotNull(text);
            Assert.DoesNotMatch(new Regex(@"\b(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|TRANSACTION)\b", RegexOptions.IgnoreCase), text);
        }
    }

    /// <summary>
    /// The keys the provider binaries require, read from them: the query properties of the clustering and reminders
    /// providers' internal DbStoredQueries (each must have a row or the provider refuses to start) and the keys in the
    /// persistence provider's initialization query. A newer Orleans that needs another key fails here.
    /// </summary>
    [Fact]
    public void The_key_list_covers_what_the_provider_binaries_require()
    {
        var required = new List<string>();
        foreach (var assembly in new[] { typeof(AdoNetClusteringTable).Assembly, typeof(Orleans.Configuration.AdoNetReminderTableOptions).Assembly })
        {
            var stored = assembly.GetTypes().Single(t => t.Name == "DbStoredQueries");
            required.AddRange(stored.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic).Select(p => p.Name));
        }

        required.AddRange(Regex.Matches(AdoNetGrainStorage.DefaultInitializationQuery, "QueryKey = '([A-Za-z0-9]+)'").Select(m => m.Groups[1].Value));

        // Clustering 9 (its optional CleanupDefunctSiloEntryKey is looked up apart), reminders 7, persistence 4.
        Assert.Equal(20, required.Count);
        Assert.Empty(required.Except(QueryKeys));
    }

    /// <summary>
    /// Every script is safe to apply again, and a script writing a query text replaces the text in the table (so a
    /// later script can correct one): applied over a damaged text, the scripts restore it and keep the data.
    /// </summary>
    [Fact]
    public async Task Applying_every_script_again_restores_the_texts_and_keeps_the_data()
    {
        const string Summary = "SELECT count(*) || ':' || sum(length(QueryText)) FROM OrleansQuery";
        var table = await MembershipAsync();
        await InsertAsync(table, Entry(1));
        var before = await QueryScalarAsync(Summary);
        await ExecuteSqlAsync("UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'InsertMembershipKey'");

        foreach (var script in SchemaScripts.For(Kind))
        {
            await ExecuteSqlAsync(script.Sql);
        }

        Assert.Equal(before, await QueryScalarAsync(Summary));
        var again = await MembershipAsync();
        await InsertAsync(again, Entry(2));
        var all = await again.ReadAllAsync(None);
        Assert.Equal(2, all.Version.Version);
        Assert.Equal([Silo(1), Silo(2)], Silos(all));
    }
}
