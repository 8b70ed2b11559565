using Failover.Storage.Membership;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>Two silos: when one is killed the other is the whole quorum (Orleans: at most half the Active silos vote).</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class TwoSiloKillTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task The_last_survivor_declares_a_killed_silo_Dead_on_its_own_vote(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);

        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a", "node-b"]);

        cluster["node-b"].Kill();
        await cluster.WaitForExitAsync(cluster["node-b"]);
        var dead = await cluster.WaitForStatusAsync("node-b", SiloStatus.Dead);

        // node-a's vote alone declared it: the only voter in the Dead row's SuspectTimes.
        var survivor = (await cluster.FindAsync("node-a"))!.Address;
        Assert.NotEmpty(dead.SuspectTimes);
        Assert.All(dead.SuspectTimes, vote => Assert.Equal(survivor, vote.Voter));
        Assert.Equal(SiloStatus.Active, (await cluster.FindAsync("node-a"))!.Status);
    }
}
