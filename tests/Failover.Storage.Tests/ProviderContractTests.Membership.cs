using Orleans;
using Orleans.Runtime;

namespace Failover.Storage.Tests;

public abstract partial class ProviderContractTests
{
    [Fact]
    public async Task Read_all_of_an_empty_table_returns_the_version_row()
    {
        var table = await MembershipAsync();

        var all = await table.ReadAllAsync(None);
        var row = await table.ReadRowAsync(Silo(1), None);

        Assert.Empty(all.Members);
        Assert.Equal(0, all.Version.Version);
        Assert.Equal("0", all.Version.VersionEtag);
        Assert.Empty(row.Members);
        Assert.Equal(0, row.Version.Version);
    }

    [Fact]
    public async Task Initializing_again_keeps_the_version_row()
    {
        var table = await MembershipAsync();
        await InsertAsync(table, Entry(1));

        var again = await MembershipAsync();

        var all = await again.ReadAllAsync(None);
        Assert.Equal(1, all.Version.Version);
        Assert.Equal([Silo(1)], Silos(all));
    }

    [Fact]
    public async Task Inserted_and_updated_rows_read_back_as_written()
    {
        var table = await MembershipAsync();
        var entry = Entry(1, SiloStatus.Joining);

        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync(None)).Version.Next(), None));

        var (read, etag) = Row(await table.ReadRowAsync(Silo(1), None), Silo(1));
        Assert.Equal("1", etag);
        Assert.Equal(Silo(1), read.SiloAddress);
        Assert.Equal("silo-1", read.SiloName);
        Assert.Equal("host-1", read.HostName);
        Assert.Equal(SiloStatus.Joining, read.Status);
        Assert.Equal(30_001, read.ProxyPort);
        AssertStoredTime(T0, read.StartTime);
        AssertStoredTime(T0, read.IAmAliveTime);
        Assert.True(read.SuspectTimes is null or { Count: 0 });

        var later = T0.AddMinutes(5);
        var votes = new List<Tuple<SiloAddress, DateTime>> { Tuple.Create(Silo(2), later), Tuple.Create(Silo(3), later.AddSeconds(1)) };
        await UpdateAsync(table, Silo(1), e =>
        {
            e.Status = SiloStatus.Active;
            e.SuspectTimes = votes;
            e.IAmAliveTime = later;
        });

        var all = await table.ReadAllAsync(None);
        var (updated, updatedEtag) = Row(all, Silo(1));
        Assert.Equal(2, all.Version.Version);
        Assert.Equal("2", updatedEtag);
        Assert.Equal(SiloStatus.Active, updated.Status);
        Assert.Equal(30_001, updated.ProxyPort);
        AssertStoredTime(T0, updated.StartTime);
        AssertStoredTime(later, updated.IAmAliveTime);
        Assert.Equal(
            votes.Select(v => (v.Item1, Stored(v.Item2).Ticks)),
            updated.SuspectTimes!.Select(v => (v.Item1, v.Item2.Ticks)));
    }

    [Fact]
    public async Task Parallel_inserts_on_one_version_have_exactly_one_winner_per_round()
    {
        // Four silos' tables (each call on its own pooled connection), twenty writers per round.
        var tables = new List<IMembershipTable>();
        for (var i = 0; i < 4; i++)
        {
            tables.Add(await MembershipAsync());
        }

        for (var round = 0; round < 8; round++)
        {
            var before = await tables[0].ReadAllAsync(None);
            var entries = Enumerable.Range(round * 20, 20).Select(n => Entry(n)).ToArray();

            var won = await RaceAsync(entries.Select((e, i) => (Func<Task<bool>>)(() => tables[i % tables.Count].InsertRowAsync(e, before.Version.Next(), None))));

            var winner = Assert.Single(Enumerable.Range(0, won.Length), i => won[i]);
            var after = await tables[1].ReadAllAsync(None);
            Assert.Equal(before.Version.Version + 1, after.Version.Version);
            Assert.Equal(
                Silos(before).Append(entries[winner].SiloAddress).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal),
                Silos(after));
        }
    }

    [Fact]
    public async Task Parallel_updates_on_one_version_have_exactly_one_winner_per_round()
    {
        var table = await MembershipAsync();
        var others = await MembershipAsync();
        for (var n = 0; n < 20; n++)
        {
            await InsertAsync(table, Entry(n, SiloStatus.Joining));
        }

        for (var round = 0; round < 8; round++)
        {
            var before = await table.ReadAllAsync(None);
            var status = round % 2 == 0 ? SiloStatus.Active : SiloStatus.ShuttingDown;
            var statuses = before.Members.ToDictionary(m => m.Item1.SiloAddress, m => m.Item1.Status);

            var won = await RaceAsync(before.Members.Select((m, i) => (Func<Task<bool>>)(() =>
            {
                var (entry, etag) = (m.Item1, m.Item2);
                entry.Status = status;
                return (i % 2 == 0 ? table : others).UpdateRowAsync(entry, etag, before.Version.Next(), None);
            })));

            var winner = before.Members[Assert.Single(Enumerable.Range(0, won.Length), i => won[i])].Item1.SiloAddress;
            var after = await table.ReadAllAsync(None);
            Assert.Equal(before.Version.Version + 1, after.Version.Version);
            Assert.Equal(status, Row(after, winner).Entry.Status);
            foreach (var (entry, _) in after.Members.Where(m => !m.Item1.SiloAddress.Equals(winner)))
            {
                Assert.Equal(statuses[entry.SiloAddress], entry.Status);
            }
        }
    }

    [Fact]
    public async Task A_write_with_a_stale_version_changes_nothing()
    {
        var table = await MembershipAsync();
        await InsertAsync(table, Entry(1, SiloStatus.Joining));
        var stale = await table.ReadAllAsync(None);
        var (entry, etag) = Row(stale, Silo(1));

        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(entry, etag, stale.Version.Next(), None));

        entry.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(entry, etag, stale.Version.Next(), None));
        Assert.False(await table.InsertRowAsync(Entry(2), stale.Version.Next(), None));

        var after = await table.ReadAllAsync(None);
        Assert.Equal(stale.Version.Version + 1, after.Version.Version);
        Assert.Equal(SiloStatus.Active, Row(after, Silo(1)).Entry.Status);
        Assert.Equal([Silo(1)], Silos(after));
    }

    [Fact]
    public async Task Inserting_an_existing_row_fails_and_keeps_the_version()
    {
        var table = await MembershipAsync();
        await InsertAsync(table, Entry(1, SiloStatus.Joining));
        var before = await table.ReadAllAsync(None);

        Assert.False(await table.InsertRowAsync(Entry(1, SiloStatus.Dead), before.Version.Next(), None));
        Assert.False(await table.UpdateRowAsync(Entry(2), before.Version.VersionEtag, before.Version.Next(), None));

        var after = await table.ReadAllAsync(None);
        Assert.Equal(before.Version.Version, after.Version.Version);
        Assert.Equal(SiloStatus.Joining, Row(after, Silo(1)).Entry.Status);
        Assert.Equal([Silo(1)], Silos(after));

        // The version was not taken: a write with it still succeeds.
        Assert.True(await table.InsertRowAsync(Entry(2), before.Version.Next(), None));
    }

    [Fact]
    public async Task I_am_alive_updates_the_time_only_and_keeps_the_version()
    {
        var table = await MembershipAsync();
        await InsertAsync(table, Entry(1));
        await InsertAsync(table, Entry(2));
        var before = await table.ReadAllAsync(None);
        var later = T0.AddSeconds(42);

        var (entry, _) = Row(before, Silo(1));
        entry.IAmAliveTime = later;
        entry.Status = SiloStatus.Dead;
        await table.UpdateIAmAliveAsync(entry, None);

        var after = await table.ReadAllAsync(None);
        Assert.Equal(before.Version.Version, after.Version.Version);
        var (alive, etag) = Row(after, Silo(1));
        Assert.Equal(before.Version.VersionEtag, etag);
        AssertStoredTime(later, alive.IAmAliveTime);
        Assert.Equal(SiloStatus.Active, alive.Status);
        AssertStoredTime(T0, Row(after, Silo(2)).Entry.IAmAliveTime);

        // The version read before the heartbeat is still the current one.
        Assert.True(await table.InsertRowAsync(Entry(3), before.Version.Next(), None));
    }

    [Fact]
    public async Task Gateways_are_the_active_silos_with_their_proxy_ports()
    {
        var table = await MembershipAsync();
        await InsertAsync(table, Entry(1));
        await InsertAsync(table, Entry(2, SiloStatus.Joining));
        await InsertAsync(table, Entry(3, SiloStatus.Joining));
        await InsertAsync(table, Entry(4, SiloStatus.Dead));
        await InsertAsync(table, Entry(5, SiloStatus.ShuttingDown));
        var noGateway = Entry(6);
        noGateway.ProxyPort = 0;
        await InsertAsync(table, noGateway);
        await InsertAsync(await MembershipAsync($"other-{ClusterId}"), Entry(7));
        // An update binds no proxy port: silo 2 keeps the one it was inserted with.
        await UpdateAsync(table, Silo(2), e => e.Status = SiloStatus.Active);

        var gateways = await (await GatewaysAsync()).GetGatewaysAsync(None);

        Assert.Equal(
            new[] { Gateway(1), Gateway(2) }.Order(StringComparer.Ordinal),
            gateways.Select(g => g.ToString()).Order(StringComparer.Ordinal));

        static string Gateway(int n) => SiloAddress.New(Silo(n).Endpoint.Address, 30_000 + n, Silo(n).Generation).ToGatewayUri().ToString();
    }

    [Fact]
    public async Task Defunct_cleanup_deletes_old_dead_rows_and_never_an_active_one()
    {
        var table = await MembershipAsync();
        var cutoff = T0.AddHours(1);
        var old = T0;
        var recent = cutoff.AddMinutes(1);

        await InsertAsync(table, Aged(1, SiloStatus.Dead, old));
        await InsertAsync(table, Aged(2, SiloStatus.Dead, recent));
        await InsertAsync(table, Aged(3, SiloStatus.Active, old));
        await InsertAsync(table, Aged(4, SiloStatus.ShuttingDown, old));
        await InsertAsync(table, Aged(5, SiloStatus.Joining, old));
        await InsertAsync(table, Aged(6, SiloStatus.Active, old));
        await InsertAsync(table, Aged(7, SiloStatus.Active, old));
        await InsertAsync(table, Aged(8, SiloStatus.Active, old));
        await UpdateAsync(table, Silo(6), e => Die(e, [Tuple.Create(Silo(3), old)]));
        await UpdateAsync(table, Silo(7), e => Die(e, []));
        await UpdateAsync(table, Silo(8), e => Die(e, [Tuple.Create(Silo(3), recent)]));

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(cutoff), None);

        // Gone: old Dead rows, with or without (old) suspect votes. Kept: recently alive, not Dead, a recent vote.
        Assert.Equal([Silo(2), Silo(3), Silo(4), Silo(5), Silo(8)], Silos(await table.ReadAllAsync(None)));
    }

    [Fact]
    public async Task Without_the_single_row_key_the_bulk_cleanup_also_spares_active_rows()
    {
        var table = await MembershipAsync();
        var cutoff = T0.AddHours(1);
        await InsertAsync(table, Aged(1, SiloStatus.Dead, T0));
        await InsertAsync(table, Aged(2, SiloStatus.Dead, cutoff.AddMilliseconds(1)));
        await InsertAsync(table, Aged(3, SiloStatus.Active, T0));
        await InsertAsync(table, Aged(4, SiloStatus.Joining, T0));
        await InsertAsync(await MembershipAsync($"other-{ClusterId}"), Aged(5, SiloStatus.Dead, T0));
        await ExecuteSqlAsync("DELETE FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntryKey'");

        var bulk = await MembershipAsync();
        await bulk.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(cutoff), None);

        Assert.Equal([Silo(2), Silo(3), Silo(4)], Silos(await table.ReadAllAsync(None)));
        Assert.Equal([Silo(5)], Silos(await (await MembershipAsync($"other-{ClusterId}")).ReadAllAsync(None)));
    }

    [Fact]
    public async Task Deleting_the_entries_of_a_deployment_leaves_other_deployments_alone()
    {
        var table = await MembershipAsync();
        var other = await MembershipAsync($"other-{ClusterId}");
        await InsertAsync(table, Entry(1));
        await InsertAsync(table, Entry(2));
        await InsertAsync(other, Entry(3));
        var otherBefore = await other.ReadAllAsync(None);

        await table.DeleteMembershipTableEntriesAsync(ClusterId, None);

        var otherAfter = await other.ReadAllAsync(None);
        Assert.Equal(otherBefore.Version.Version, otherAfter.Version.Version);
        Assert.Equal([Silo(3)], Silos(otherAfter));

        // The version row went too: initializing creates it anew.
        await table.InitializeMembershipTableAsync(true, None);
        var fresh = await table.ReadAllAsync(None);
        Assert.Empty(fresh.Members);
        Assert.Equal(0, fresh.Version.Version);
    }

    private static void Die(MembershipEntry entry, List<Tuple<SiloAddress, DateTime>> votes)
    {
        entry.Status = SiloStatus.Dead;
        entry.SuspectTimes = votes;
    }

    private static MembershipEntry Aged(int n, SiloStatus status, DateTime aliveAt)
    {
        var entry = Entry(n, status);
        entry.StartTime = T0.AddMinutes(-10);
        entry.IAmAliveTime = aliveAt;
        return entry;
    }
}
