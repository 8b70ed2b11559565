using Orleans.Runtime;
using Failover.TestHost;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>A silo killed and started again at once on the same port: a new incarnation, the old one Dead.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class RestartTests(ITestOutputHelper output)
{
    private const string Key = "restart";

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task A_silo_restarted_on_its_port_is_a_new_generation_and_takes_its_grain_back(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a", "node-b"]);
        var old = (await cluster.WaitForStatusAsync("node-b", SiloStatus.Active)).Address;
        await using (var client = await cluster.ConnectClientAsync(cluster["node-b"]))
        {
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(i, await client.GetGrain<ILocatorGrain>(Key).Increment());
            }
        }

        var before = await database.LookupAsync(Ledgers.Locator(Key));
        cluster["node-b"].Kill();
        await cluster.WaitForExitAsync(cluster["node-b"]);
        var restarted = (await cluster.RestartAsync("node-b")).Address;

        Assert.Equal(old.Endpoint, restarted.Endpoint);
        Assert.True(restarted.Generation > old.Generation, $"generation {restarted.Generation} follows {old.Generation}");
        await cluster.WaitUntilAsync(
            async () => (await database.ReadMembershipAsync()).Find(old)?.Status == SiloStatus.Dead, "the old incarnation's row is Dead");

        await using (var client = await cluster.ConnectClientAsync(cluster["node-b"]))
        {
            var locator = client.GetGrain<ILocatorGrain>(Key);
            Assert.Equal(4, await locator.Increment());
            Assert.Equal("node-b", await locator.Where());
        }

        var after = await database.LookupAsync(Ledgers.Locator(Key));
        Assert.Equal(restarted, after?.Owner);
        Assert.True(after!.Epoch > before!.Epoch, $"the directory epoch grows on re-activation ({before.Epoch} -> {after.Epoch})");
    }
}
