using Failover.Runtime.Directory;
using Failover.Runtime.Grains;
using Failover.Runtime.Membership;
using Failover.Runtime.Storage;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Failover.Testing;

namespace Failover.Runtime.Tests.Runtime;

public sealed class SiloLifecycleTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_started_silo_is_Active_and_renews_its_lease_on_the_database_clock()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting);
        var table = silo.Services.GetRequiredService<IMembershipTable>();

        var first = (await table.ReadAllAsync(CancellationToken.None)).Find(silo.Silo.Address);
        Assert.NotNull(first);
        Assert.Equal(SiloStatus.Active, first.Status);
        Assert.Equal("test-node", first.SiloName);

        await Eventually.True(async () =>
            (await table.ReadAllAsync(CancellationToken.None)).Find(silo.Silo.Address)!.IAmAliveTime > first.IAmAliveTime,
            "IAmAliveTime moved forward");
    }

    [Fact]
    public async Task A_stopped_silo_is_Dead_and_has_released_its_grains()
    {
        var silo = await TestSilo.StartAsync(_database.Setting);
        await silo.GrainFactory.GetGrain<ICounterGrain>("released").Increment("x");
        var address = silo.Silo.Address;
        await silo.StopAsync();

        await using var database = ClusterDatabase.Open(_database.Location);
        var row = (await database.CreateMembershipTable("default").ReadAllAsync(CancellationToken.None)).Find(address);
        var entry = await database.CreateGrainDirectory("default").LookupAsync(new GrainId("CounterGrain", "released"), CancellationToken.None);
        await silo.DisposeAsync();

        Assert.Equal(SiloStatus.Dead, row!.Status);
        Assert.Null(entry!.Owner);
        Assert.Equal(1, entry.Epoch);
    }

    [Fact]
    public async Task A_silo_restarted_on_the_same_endpoint_gets_a_newer_generation()
    {
        var port = TestSilo.NextPort();
        SiloAddress firstAddress;
        await using (var first = await TestSilo.StartAsync(_database.Setting, port: port))
        {
            firstAddress = first.Silo.Address;
        }

        await using var second = await TestSilo.StartAsync(_database.Setting, port: port);

        Assert.True(second.Silo.Address.Generation > firstAddress.Generation);
        var rows = await second.Services.GetRequiredService<IMembershipTable>().ReadAllAsync(CancellationToken.None);
        Assert.Equal(SiloStatus.Dead, rows.Find(firstAddress)!.Status);
        Assert.Equal(SiloStatus.Active, rows.Find(second.Silo.Address)!.Status);
    }

    [Fact]
    public async Task An_older_incarnation_left_Active_by_a_crash_is_declared_Dead_at_start()
    {
        var port = TestSilo.NextPort();
        await using var database = ClusterDatabase.Open(_database.Location);
        await database.ApplySchemaAsync(CancellationToken.None);
        var table = database.CreateMembershipTable("default");
        await table.InitializeAsync(CancellationToken.None);
        var crashed = new SiloAddress("127.0.0.1", port, 1000);
        var snapshot = await table.ReadAllAsync(CancellationToken.None);
        Assert.True(await table.InsertRowAsync(new MembershipEntry
        {
            Address = crashed,
            SiloName = "test-node",
            HostName = "h",
            Status = SiloStatus.Active,
            StartTime = snapshot.DatabaseTime,
            IAmAliveTime = snapshot.DatabaseTime,
        }, snapshot.Version, CancellationToken.None));

        await using var silo = await TestSilo.StartAsync(_database.Setting, port: port);

        Assert.Equal(SiloStatus.Dead, (await table.ReadAllAsync(CancellationToken.None)).Find(crashed)!.Status);
    }

    [Fact]
    public async Task Defunct_rows_older_than_the_age_are_deleted_by_the_silo()
    {
        await using var database = ClusterDatabase.Open(_database.Location);
        await database.ApplySchemaAsync(CancellationToken.None);
        var table = database.CreateMembershipTable("default");
        await table.InitializeAsync(CancellationToken.None);
        var dead = new SiloAddress("127.0.0.1", 1, 1);
        foreach (var (address, status) in new[] { (dead, SiloStatus.Dead) })
        {
            var snapshot = await table.ReadAllAsync(CancellationToken.None);
            Assert.True(await table.InsertRowAsync(new MembershipEntry
            {
                Address = address,
                SiloName = $"old-{address.Port}",
                HostName = "h",
                Status = status,
                StartTime = snapshot.DatabaseTime,
                IAmAliveTime = snapshot.DatabaseTime,
            }, snapshot.Version, CancellationToken.None));
        }

        // With DefunctRowAge 1 s the silo's cleaner deletes the Dead row once it is older (Active rows never: see the
        // storage contract's cleanup test).
        await using var silo = await TestSilo.StartAsync(_database.Setting, new Dictionary<string, string?> { ["Membership:DefunctRowAge"] = "00:00:01" });

        await Eventually.True(async () => (await table.ReadAllAsync(CancellationToken.None)).Find(dead) is null, "the Dead row was deleted");
        Assert.NotNull((await table.ReadAllAsync(CancellationToken.None)).Find(silo.Silo.Address));
    }

    [Fact]
    public async Task Idle_activations_are_deactivated_after_the_collection_age()
    {
        await using var silo = await TestSilo.StartAsync(_database.Setting, new Dictionary<string, string?>
        {
            ["Grains:CollectionAge"] = "00:00:00.200",
            ["Grains:CollectionQuantum"] = "00:00:00.050",
        });
        await silo.GrainFactory.GetGrain<ICounterGrain>("idle").Increment("x");

        var events = silo.Services.GetRequiredService<GrainEventLog>();
        await Eventually.True(() => events.Count("deactivate:idle:Idle") == 1, "the idle grain was collected");
        Assert.Equal(1, await silo.GrainFactory.GetGrain<ICounterGrain>("idle").Get());
    }

    [Theory]
    [InlineData("Membership:DeathTimeout", "00:00:00.500", "DeathTimeout")]
    [InlineData("Membership:IAmAlivePeriod", "00:00:05", "IAmAlivePeriod")]
    [InlineData("Grains:ResponseTimeout", "-00:00:01", "ResponseTimeout")]
    [InlineData("Node", "", "Node")]
    [InlineData("Port", "70000", "Port")]
    [InlineData("Database", "mysql:x", "--database must be")]
    public async Task Invalid_settings_stop_the_silo_before_it_joins(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestSilo.StartAsync(_database.Setting, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, string.Join(" ", error.Failures), StringComparison.Ordinal);
        Assert.False(File.Exists(_database.Path) && await HasMembershipRowsAsync());
    }

    [Fact]
    public async Task Unknown_keys_in_a_settings_section_are_errors()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestSilo.StartAsync(_database.Setting, new Dictionary<string, string?> { ["Membership:LeaseTimout"] = "00:00:01" }));

        Assert.Contains("LeaseTimout", error.Message, StringComparison.Ordinal);
    }

    private async Task<bool> HasMembershipRowsAsync()
    {
        await using var database = ClusterDatabase.Open(_database.Location);
        try
        {
            return (await database.CreateMembershipTable("default").ReadAllAsync(CancellationToken.None)).Entries.Count > 0;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
