using Failover.Storage.Membership;
using Orleans.Runtime;

namespace Failover.Storage.Tests;

/// <summary>
/// Reading Orleans' membership table and renewing a silo's node lease on it. Orleans' own provider writes the rows; its
/// compare-and-swap, cleanup and gateway list are covered by <see cref="ProviderContractTests"/>.
/// </summary>
public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Membership_rows_of_a_cluster_without_a_version_row_read_as_empty_at_version_zero()
    {
        await Database.ApplySchemaAsync(None);
        var rows = Database.CreateMembershipRows(ClusterId);

        var never = await rows.ReadAllAsync(None);
        await OrleansMembershipAsync();
        var initialized = await rows.ReadAllAsync(None);

        foreach (var snapshot in new[] { never, initialized })
        {
            Assert.Empty(snapshot.Entries);
            Assert.Equal(0, snapshot.Version);
            Assert.Equal(DateTimeKind.Utc, snapshot.DatabaseTime.Kind);
            Assert.InRange(snapshot.DatabaseTime, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
        }
    }

    [Fact]
    public async Task Membership_rows_read_back_as_Orleans_wrote_them_status_proxy_port_suspect_votes_and_times_in_utc()
    {
        var table = await ReadyMembershipAsync();
        var suspect = Entry(Silo(1));
        suspect.ProxyPort = 0;
        await InsertWithRetryAsync(table, suspect);
        await InsertWithRetryAsync(table, Entry(Silo(2), SiloStatus.Joining));
        await InsertWithRetryAsync(await OrleansMembershipAsync(ClusterId + "-other"), Entry(Silo(3)));
        var votes = new List<Tuple<SiloAddress, DateTime>>
        {
            Tuple.Create(Silo(2), new DateTime(2025, 3, 4, 5, 6, 7, 89, DateTimeKind.Utc)),
            Tuple.Create(Silo(3), new DateTime(2025, 3, 4, 5, 6, 8, 0, DateTimeKind.Utc)),
        };
        await UpdateWithRetryAsync(table, Silo(1), row =>
        {
            row.SuspectTimes = votes;
            row.Status = SiloStatus.ShuttingDown;
        });

        var snapshot = await Database.CreateMembershipRows(ClusterId).ReadAllAsync(None);

        Assert.Equal((await table.ReadAllAsync(None)).Version.Version, snapshot.Version);
        Assert.Equal([Silo(1), Silo(2)], snapshot.Entries.Select(e => e.Address).OrderBy(a => a.Generation));
        var row = snapshot.Find(Silo(1));
        Assert.NotNull(row);
        Assert.Equal(votes.Select(v => new SuspectVote(v.Item1, v.Item2)), row.SuspectTimes);
        Assert.All(row.SuspectTimes, v => Assert.Equal(DateTimeKind.Utc, v.Time.Kind));
        Assert.Equal(SiloStatus.ShuttingDown, row.Status);
        Assert.Equal(0, row.ProxyPort);
        Assert.Equal(suspect.SiloName, row.SiloName);
        Assert.Equal(suspect.HostName, row.HostName);
        Assert.Equal(suspect.StartTime, row.StartTime);
        Assert.Equal(DateTimeKind.Utc, row.StartTime.Kind);
        Assert.Equal(suspect.IAmAliveTime, row.IAmAliveTime);
        Assert.Equal(DateTimeKind.Utc, row.IAmAliveTime.Kind);
        var joining = snapshot.Find(Silo(2))!;
        Assert.Equal((SiloStatus.Joining, 30000), (joining.Status, joining.ProxyPort));
        Assert.Empty(joining.SuspectTimes);
    }

    [Fact]
    public async Task Lease_renewal_writes_the_database_clock_into_IAmAliveTime_without_bumping_the_version()
    {
        var table = await ReadyMembershipAsync();
        await InsertWithRetryAsync(table, Entry(Silo(1)));
        await InsertWithRetryAsync(table, Entry(Silo(2)));
        var rows = Database.CreateMembershipRows(ClusterId);
        var before = await rows.ReadAllAsync(None);
        var inserted = before.Find(Silo(1))!;

        var first = await rows.RenewLeaseAsync(Silo(1), None);
        var second = await rows.RenewLeaseAsync(Silo(1), None);
        var after = await rows.ReadAllAsync(None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(DateTimeKind.Utc, second.Value.Kind);
        Assert.InRange(inserted.IAmAliveTime, DateTime.MinValue, before.DatabaseTime);
        Assert.InRange(first.Value, before.DatabaseTime, second.Value);
        Assert.Equal(second, after.Find(Silo(1))!.IAmAliveTime);
        Assert.InRange(after.DatabaseTime, second.Value, DateTime.MaxValue);
        Assert.Equal(inserted.IAmAliveTime, after.Find(Silo(2))!.IAmAliveTime);

        // Orleans reads the renewed time and, still, the version it had: its next compare-and-swap is not disturbed.
        var orleans = await table.ReadAllAsync(None);
        Assert.Equal(before.Version, orleans.Version.Version);
        Assert.Equal(second, orleans.Members.Single(m => m.Item1.SiloAddress.Equals(Silo(1))).Item1.IAmAliveTime);
        Assert.True(await table.InsertRowAsync(Entry(Silo(3)), orleans.Version.Next(), None));
    }

    [Fact]
    public async Task Lease_renewal_is_refused_for_a_Dead_row_and_for_a_silo_without_a_row()
    {
        var table = await ReadyMembershipAsync();
        await InsertWithRetryAsync(table, Entry(Silo(1)));
        await SetStatusWithRetryAsync(table, Silo(1), SiloStatus.Dead);
        var rows = Database.CreateMembershipRows(ClusterId);
        var before = (await rows.ReadAllAsync(None)).Find(Silo(1))!;

        Assert.Null(await rows.RenewLeaseAsync(Silo(1), None));
        Assert.Null(await rows.RenewLeaseAsync(Silo(9), None));
        Assert.Null(await Database.CreateMembershipRows(ClusterId + "-other").RenewLeaseAsync(Silo(1), None));

        Assert.Equal(before.IAmAliveTime, (await rows.ReadAllAsync(None)).Find(Silo(1))!.IAmAliveTime);

        // Every status short of Dead keeps renewing (a silo shutting down still acts until it stops).
        foreach (var status in new[] { SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown, SiloStatus.Stopping })
        {
            var silo = Silo(10 + (int)status);
            await InsertWithRetryAsync(table, Entry(silo, status));
            Assert.NotNull(await rows.RenewLeaseAsync(silo, None));
        }
    }

    [Fact]
    public async Task Delete_cluster_removes_its_rows_and_version_but_not_other_clusters()
    {
        var table = await ReadyMembershipAsync();
        var other = await OrleansMembershipAsync(ClusterId + "-other");
        await InsertWithRetryAsync(table, Entry(Silo(1)));
        await InsertWithRetryAsync(other, Entry(Silo(1)));

        await Database.CreateMembershipRows(ClusterId).DeleteClusterAsync(None);

        var gone = await Database.CreateMembershipRows(ClusterId).ReadAllAsync(None);
        Assert.Empty(gone.Entries);
        Assert.Equal(0, gone.Version);
        Assert.Single((await Database.CreateMembershipRows(ClusterId + "-other").ReadAllAsync(None)).Entries);
        Assert.Single((await other.ReadAllAsync(None)).Members);

        // Orleans starts the cluster over: initializing creates the version row anew.
        var fresh = await OrleansMembershipAsync();
        Assert.Empty((await fresh.ReadAllAsync(None)).Members);
        await InsertWithRetryAsync(fresh, Entry(Silo(2)));
        Assert.Equal(1, (await Database.CreateMembershipRows(ClusterId).ReadAllAsync(None)).Version);
    }
}
