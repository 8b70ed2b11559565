using Failover.Storage.Membership;

namespace Failover.Storage.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Membership_starts_empty_at_version_zero_and_initialize_is_idempotent()
    {
        var table = await ReadyMembershipAsync();
        await table.InitializeAsync(None);

        var snapshot = await table.ReadAllAsync(None);

        Assert.Empty(snapshot.Entries);
        Assert.Equal(0, snapshot.Version);
        Assert.Equal(DateTimeKind.Utc, snapshot.DatabaseTime.Kind);
    }

    [Fact]
    public async Task Membership_insert_cas_lets_exactly_one_of_20_parallel_writers_win_per_version()
    {
        var table = await ReadyMembershipAsync();
        var initial = await table.ReadAllAsync(None);
        var silos = Enumerable.Range(1, 20).Select(Silo).ToArray();

        var firstRound = await Task.WhenAll(silos.Select(s => Task.Run(() => table.InsertRowAsync(Entry(s), initial.Version, None))));

        Assert.Single(firstRound, won => won);
        var losers = silos.Where((_, i) => !firstRound[i]).ToArray();
        await Task.WhenAll(losers.Select(s => Task.Run(() => InsertWithRetryAsync(table, Entry(s)))));

        var final = await table.ReadAllAsync(None);
        Assert.Equal(initial.Version + 20, final.Version);
        Assert.Equal(silos.OrderBy(s => s.ToString(), StringComparer.Ordinal), final.Entries.Select(e => e.Address).OrderBy(s => s.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public async Task Membership_insert_of_an_existing_row_fails_without_bumping_the_version()
    {
        var table = await ReadyMembershipAsync();
        Assert.True(await table.InsertRowAsync(Entry(Silo(1)), 0, None));

        Assert.False(await table.InsertRowAsync(Entry(Silo(1), SiloStatus.Joining), 1, None));

        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal(1, snapshot.Version);
        Assert.Equal(SiloStatus.Active, Assert.Single(snapshot.Entries).Status);
    }

    [Fact]
    public async Task Membership_update_cas_fails_on_a_stale_version_or_a_missing_row()
    {
        var table = await ReadyMembershipAsync();
        await InsertWithRetryAsync(table, Entry(Silo(1), SiloStatus.Joining));
        var read = await table.ReadAllAsync(None);
        var row = Assert.Single(read.Entries);

        Assert.True(await table.UpdateRowAsync(row with { Status = SiloStatus.Active }, read.Version, None));
        Assert.False(await table.UpdateRowAsync(row with { Status = SiloStatus.Dead }, read.Version, None));
        Assert.False(await table.UpdateRowAsync(Entry(Silo(2), SiloStatus.Dead), read.Version + 1, None));

        var after = await table.ReadAllAsync(None);
        Assert.Equal(read.Version + 1, after.Version);
        Assert.Equal(SiloStatus.Active, Assert.Single(after.Entries).Status);
    }

    [Fact]
    public async Task Membership_rows_round_trip_status_proxy_port_suspect_times_and_times_in_utc()
    {
        var table = await ReadyMembershipAsync();
        var suspect = Entry(Silo(1)) with { ProxyPort = 0 };
        await InsertWithRetryAsync(table, suspect);
        await InsertWithRetryAsync(table, Entry(Silo(2)));
        var votes = new[]
        {
            new SuspectVote(Silo(2), new DateTime(2025, 3, 4, 5, 6, 7, 89, DateTimeKind.Utc)),
            new SuspectVote(Silo(3), new DateTime(2025, 3, 4, 5, 6, 8, 0, DateTimeKind.Utc)),
        };
        var read = await table.ReadAllAsync(None);

        Assert.True(await table.UpdateRowAsync(suspect with { SuspectTimes = votes, Status = SiloStatus.ShuttingDown, ProxyPort = 40000 }, read.Version, None));

        var row = (await table.ReadAllAsync(None)).Find(Silo(1));
        Assert.NotNull(row);
        Assert.Equal(votes, row.SuspectTimes);
        Assert.All(row.SuspectTimes, v => Assert.Equal(DateTimeKind.Utc, v.Time.Kind));
        Assert.Equal(SiloStatus.ShuttingDown, row.Status);
        Assert.Equal(40000, row.ProxyPort);
        Assert.Equal(suspect.SiloName, row.SiloName);
        Assert.Equal(suspect.HostName, row.HostName);
        Assert.Equal(suspect.StartTime, row.StartTime);
        Assert.Equal(DateTimeKind.Utc, row.StartTime.Kind);
        Assert.Equal(DateTimeKind.Utc, row.IAmAliveTime.Kind);
        Assert.Empty((await table.ReadAllAsync(None)).Find(Silo(2))!.SuspectTimes);
    }

    [Fact]
    public async Task IAmAlive_writes_the_database_clock_and_does_not_bump_the_version()
    {
        var table = await ReadyMembershipAsync();
        await InsertWithRetryAsync(table, Entry(Silo(1)));
        var before = await table.ReadAllAsync(None);
        var inserted = before.Find(Silo(1))!;

        var first = await table.UpdateIAmAliveAsync(Silo(1), None);
        var second = await table.UpdateIAmAliveAsync(Silo(1), None);
        var after = await table.ReadAllAsync(None);

        Assert.Equal(before.Version, after.Version);
        Assert.Equal(DateTimeKind.Utc, second.Kind);
        Assert.InRange(inserted.IAmAliveTime, DateTime.MinValue, before.DatabaseTime);
        Assert.InRange(first, before.DatabaseTime, second);
        Assert.Equal(second, after.Find(Silo(1))!.IAmAliveTime);
        Assert.InRange(after.DatabaseTime, second, DateTime.MaxValue);
        await Assert.ThrowsAsync<SiloDeclaredDeadException>(() => table.UpdateIAmAliveAsync(Silo(9), None));
    }

    [Fact]
    public async Task A_Dead_row_is_never_renewed()
    {
        var table = await ReadyMembershipAsync();
        await InsertWithRetryAsync(table, Entry(Silo(1)));
        await SetStatusWithRetryAsync(table, Silo(1), SiloStatus.Dead);
        var before = (await table.ReadAllAsync(None)).Find(Silo(1))!;

        await Assert.ThrowsAsync<SiloDeclaredDeadException>(() => table.UpdateIAmAliveAsync(Silo(1), None));

        Assert.Equal(before.IAmAliveTime, (await table.ReadAllAsync(None)).Find(Silo(1))!.IAmAliveTime);
    }

    [Fact]
    public async Task Cleanup_deletes_old_defunct_rows_but_never_active_ones()
    {
        var table = await ReadyMembershipAsync();
        var statuses = new[] { SiloStatus.Created, SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown, SiloStatus.Stopping, SiloStatus.Dead };
        for (var i = 0; i < statuses.Length; i++)
        {
            await InsertWithRetryAsync(table, Entry(Silo(i + 1), statuses[i]));
        }

        var now = (await table.ReadAllAsync(None)).DatabaseTime;

        Assert.Equal(0, await table.CleanupDefunctEntriesAsync(now.AddHours(-1), None));
        Assert.Equal(5, await table.CleanupDefunctEntriesAsync(now.AddDays(1), None));

        var left = await table.ReadAllAsync(None);
        Assert.Equal(Silo(3), Assert.Single(left.Entries).Address);
        Assert.Equal(SiloStatus.Active, left.Entries[0].Status);
    }

    [Fact]
    public async Task Delete_cluster_removes_its_rows_and_version_but_not_other_clusters()
    {
        var table = await ReadyMembershipAsync();
        var other = Database.CreateMembershipTable(ClusterId + "-other");
        await other.InitializeAsync(None);
        await InsertWithRetryAsync(table, Entry(Silo(1)));
        await InsertWithRetryAsync(other, Entry(Silo(1)));

        await table.DeleteClusterAsync(None);

        var gone = await table.ReadAllAsync(None);
        Assert.Empty(gone.Entries);
        Assert.Equal(0, gone.Version);
        Assert.False(await table.InsertRowAsync(Entry(Silo(2)), 0, None));
        Assert.Single((await other.ReadAllAsync(None)).Entries);
    }
}
