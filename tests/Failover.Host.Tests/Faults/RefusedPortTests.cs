using Orleans.Runtime;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>A killed silo's port refuses connections: a survivor declares it Dead without waiting for missed probes.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class RefusedPortTests(ITestOutputHelper output)
{
    // Probes 3 s apart and a 30 s IAmAlive period: Orleans' own failure detection needs 9 s to declare anything Dead,
    // while the refused-port check takes a fraction of a second; the check's log line says which of the two it was.
    private static readonly string[] s_slowProbes =
    [
        "Membership:ProbeTimeout=00:00:03",
        "Membership:MinProbeTimeout=00:00:03",
        "Membership:MaxProbeTimeout=00:00:03",
        "Membership:IAmAliveTablePublishTimeout=00:00:30",
    ];

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task A_killed_silo_whose_port_refuses_connections_is_declared_Dead_without_missed_probes(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a", "node-b", "node-c"], s_slowProbes);
        var killed = (await cluster.WaitForStatusAsync("node-c", SiloStatus.Active)).Address;
        // The check starts when a connection between a survivor and the silo ends: wait until they have one (opened by
        // either side's first probe or gossip). A connection between the two survivors does not count: killing node-c
        // before anyone connected to it leaves its death to the probes.
        var survivorPorts = new[] { cluster["node-a"].Port, cluster["node-b"].Port };
        await cluster.WaitUntilAsync(
            () => Task.FromResult(LinuxProcess.EstablishedConnectionsWith(cluster["node-c"].ProcessId, cluster["node-c"].Port, survivorPorts) > 0), "node-c and a survivor have a connection between them");

        cluster["node-c"].Kill();
        await cluster.WaitForExitAsync(cluster["node-c"]);
        var dead = await cluster.WaitForStatusAsync("node-c", SiloStatus.Dead);

        // Orleans writes the silo that declared the death as its one suspecter; no probe missed three times in 10 s periods.
        var survivors = new[] { (await cluster.FindAsync("node-a"))!.Address, (await cluster.FindAsync("node-b"))!.Address };
        Assert.Contains(Assert.Single(dead.SuspectTimes).Voter, survivors);
        var declaration = $"Silo {killed.ToParsableString()} (node-c) refused two connections";
        Assert.True(
            cluster["node-a"].Log.Contains(declaration, StringComparison.Ordinal) || cluster["node-b"].Log.Contains(declaration, StringComparison.Ordinal),
            $"a survivor logs that node-c's port refused its connections\n{cluster.Logs()}");
        Assert.Equal(SiloStatus.Active, (await cluster.FindAsync("node-a"))!.Status);
        Assert.Equal(SiloStatus.Active, (await cluster.FindAsync("node-b"))!.Status);
    }

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task A_paused_silo_still_accepts_connections_and_is_left_to_the_probes(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a", "node-b"]);
        var paused = (await cluster.WaitForStatusAsync("node-b", SiloStatus.Active)).Address;

        cluster["node-b"].Pause();
        try
        {
            // Declared Dead by missed probes (a suspicion vote), never by the refused-port check: its kernel still accepts.
            var dead = await cluster.WaitForStatusAsync("node-b", SiloStatus.Dead);
            Assert.NotEmpty(dead.SuspectTimes);
            Assert.DoesNotContain($"Silo {paused.ToParsableString()} (node-b) refused", cluster["node-a"].Log, StringComparison.Ordinal);
        }
        finally
        {
            cluster["node-b"].Resume();
        }

        Assert.Equal(3, await cluster.WaitForExitAsync(cluster["node-b"]));
    }
}
