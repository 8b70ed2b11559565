using System.Net;
using Failover.Runtime.Membership;
using Failover.Runtime.Storage;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Failover.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Failover.Runtime.Tests.Cluster;

/// <summary>The database goes away for longer than LeaseTimeout (PostgreSQL behind a proxy the test cuts).</summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task Silos_stop_acting_while_the_database_is_unreachable_and_resume_when_it_returns()
    {
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("FAILOVER_TEST_POSTGRES")
            ?? throw new InvalidOperationException("FAILOVER_TEST_POSTGRES is not set: run tests/run-all.sh, which starts a private PostgreSQL."));
        var serverAddress = (await Dns.GetHostAddressesAsync(server.Host ?? "127.0.0.1"))[0];
        await using var proxy = new TcpProxy(new IPEndPoint(serverAddress, server.Port));
        var throughProxy = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2, CommandTimeout = 2 };
        var key = Guid.NewGuid().ToString("N");
        await using var cluster = new TestCluster(new TestClusterOptions
        {
            Database = $"postgres:{throughProxy}",
            GrainAssemblies = [typeof(DatabaseOutageTests).Assembly],
            ConfigureServices = services => services.AddSingleton<GrainEventLog>(),
            Settings = new Dictionary<string, string?> { ["Grains:ResponseTimeout"] = "00:00:30", ["ServiceId"] = key },
        });
        var a = await cluster.StartSiloAsync("a");
        var b = await cluster.StartSiloAsync("b");
        await a.GrainFactory.GetGrain<IHeartbeatGrain>(key).Start(TimeSpan.FromMilliseconds(20));
        await b.GrainFactory.GetGrain<IWhereGrain>(key).Touch();
        var beats = a.Services.GetRequiredService<GrainEventLog>();
        await Eventually.True(() => beats.Count($"beat:{key}") >= 3, "the heartbeat grain ticks");

        proxy.Disconnect();
        await Eventually.True(() => new[] { a, b }.All(s => !s.Services.GetRequiredService<LeaseGate>().IsValid), "both silos lost their lease");
        var beatsWhenFenced = beats.Count($"beat:{key}");
        var touch = b.GrainFactory.GetGrain<IWhereGrain>(key).Touch();
        // A window in which a silo with a valid lease would have ticked ~25 times and answered the call.
        await Task.Delay(500);
        Assert.InRange(beats.Count($"beat:{key}"), beatsWhenFenced, beatsWhenFenced + 1);
        Assert.False(touch.IsCompleted, "a silo without a lease must not run the call");

        proxy.Reconnect();

        Assert.Equal(new Whereabouts("b", (await touch).Epoch, 2), await touch);
        await Eventually.True(() => beats.Count($"beat:{key}") > beatsWhenFenced + 3, "the heartbeat grain ticks again");
        await using var database = ClusterDatabase.Open(DatabaseLocation.Parse($"postgres:{server}"));
        var rows = await database.CreateMembershipTable(cluster.Options.ClusterId).ReadAllAsync(CancellationToken.None);
        Assert.All(new[] { a, b }, s => Assert.Equal(SiloStatus.Active, rows.Find(s.Address)!.Status));
    }
}
