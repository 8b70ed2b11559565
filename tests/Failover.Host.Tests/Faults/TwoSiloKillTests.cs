using Orleans.Runtime;
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

        // Two votes are needed to declare a death (Membership:NumVotesForDeathDeclaration), but Orleans asks at most half
        // of the Active silos, rounded up: the survivor alone. A long IAmAlive miss period keeps the killed silo counted
        // among the Active ones: only the survivor's suspicion vote declares the death, with both silos counted. The
        // refused-port check is off: it would declare the killed silo Dead before any vote.
        await using var cluster = await ProcessCluster.StartAsync(
            database, output, ["node-a", "node-b"], "Membership:IAmAliveTablePublishTimeout=00:00:30", "RefusedPorts:DeclareDead=false");
        var killed = (await cluster.WaitForStatusAsync("node-b", SiloStatus.Active)).Address;

        cluster["node-b"].Kill();
        await cluster.WaitForExitAsync(cluster["node-b"]);
        await cluster.WaitForStatusAsync("node-b", SiloStatus.Dead);

        // Orleans' membership logs the vote that declares the death, with the voters ("suspecters").
        var declaration = $"Evicting '{killed}'";
        await cluster.WaitUntilAsync(
            () => Task.FromResult(cluster["node-a"].Log.Contains(declaration, StringComparison.Ordinal)), "node-a logs that it declared node-b Dead");
        var line = cluster["node-a"].Log.Split('\n').Single(l => l.Contains(declaration, StringComparison.Ordinal));
        var survivor = (await cluster.FindAsync("node-a"))!.Address;
        Assert.Contains("Fresh vote count: '1'", line, StringComparison.Ordinal);
        Assert.Contains("non-stale silo count: '2'", line, StringComparison.Ordinal);
        Assert.Contains($"suspecters: '[<{survivor}, ", line, StringComparison.Ordinal);
        Assert.Equal(SiloStatus.Active, (await cluster.FindAsync("node-a"))!.Status);
    }
}
