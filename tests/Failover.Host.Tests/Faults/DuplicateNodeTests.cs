using Failover.Testing;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>One live silo per node name: a node's directors, subagents and pair agents follow its name.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class DuplicateNodeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_second_silo_with_the_name_of_a_running_one_is_refused_in_one_line_and_writes_nothing()
    {
        var first = SiloPorts.Next();
        await using var running = Programs.StartSilo(
            "--node", "a", "--port", $"{first.Silo}", "--gateway-port", $"{first.Gateway}", "--database", _directory.SqliteDatabase);
        await Eventually.True(
            async () => await MembershipReader.FindAsync(_directory.SqliteDatabase, "a", SiloStatus.Active) is not null, "the first silo 'a' is Active");

        var second = SiloPorts.Next();
        var result = await Programs.RunSiloToExitAsync(
            "--node", "a", "--port", $"{second.Silo}", "--gateway-port", $"{second.Gateway}", "--database", _directory.SqliteDatabase);

        var errorLines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(errorLines.Length == 1, $"expected one error line, got:\n{result.Error}\nstdout:\n{result.Output}");
        Assert.StartsWith($"error: node 'a' is already running: silo 127.0.0.1:{first.Silo}@", errorLines[0], StringComparison.Ordinal);
        Assert.Equal(1, result.ExitCode);
        var rows = await MembershipReader.ReadAsync(_directory.SqliteDatabase);
        var row = Assert.Single(rows);
        Assert.Equal(first.Silo, row.Address.Endpoint.Port);
        Assert.Equal(SiloStatus.Active, row.Status);
    }

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task Two_silos_started_at_once_with_one_name_leave_exactly_one_running(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var one = SiloProcess.Start("node-a", database, []);
        await using var two = SiloProcess.Start("node-a", database, []);

        // Both pass the look at the table (neither has a row yet); their claims of the name decide, one SQL statement each.
        await Eventually.True(() => one.HasExited || two.HasExited, "one of the two silos named node-a gives up", TimeSpan.FromSeconds(60));
        var (loser, winner) = one.HasExited ? (one, two) : (two, one);
        output.WriteLine($"winner port {winner.Port}, loser port {loser.Port} (exit code {loser.ExitCode})");
        Assert.NotEqual(0, loser.ExitCode);
        Assert.Contains("node 'node-a' is already running", loser.Log, StringComparison.Ordinal);

        await Eventually.True(
            async () => (await database.ReadMembershipAsync()).Entries.Any(r => r.SiloName == "node-a" && r.Status == SiloStatus.Active && r.Address.Endpoint.Port == winner.Port),
            "the other one is Active");
        Assert.False(winner.HasExited, winner.Log);
        Assert.Single((await database.ReadMembershipAsync()).Entries, r => r.SiloName == "node-a" && r.Status == SiloStatus.Active);
    }

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task A_silo_restarted_under_its_name_on_other_ports_right_after_a_kill_takes_the_name_over(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a"]);
        var killed = (await cluster.WaitForStatusAsync("node-a", SiloStatus.Active)).Address;

        cluster["node-a"].Kill();
        await cluster.WaitForExitAsync(cluster["node-a"]);
        // At once, before anyone declared the killed silo Dead: its row is still Active and it still holds the name.
        await using var restarted = SiloProcess.Start("node-a", database, []);

        await Eventually.True(
            async () => (await database.ReadMembershipAsync()).Entries.Any(r => r.SiloName == "node-a" && r.Status == SiloStatus.Active && r.Address.Endpoint.Port == restarted.Port),
            $"the restarted node-a is Active\n{restarted.Log}",
            TimeSpan.FromSeconds(60));
        var old = Assert.Single((await database.ReadMembershipAsync()).Entries, r => r.Address.Equals(killed));
        Assert.Equal(SiloStatus.Dead, old.Status);
        var claim = await database.LookupAsync(Failover.Hosting.Membership.NodeNameClaim.KeyOf("node-a"));
        Assert.Equal(restarted.Port, claim?.Owner?.Endpoint.Port);
    }
}
