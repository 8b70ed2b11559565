using Orleans.Runtime;
using Failover.TestHost;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>SIGTERM: the silo leaves Dead and releases its grains, so another silo serves them at once.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    private const string Key = "graceful";

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task SIGTERM_leaves_the_row_Dead_and_the_grain_is_served_by_another_silo_at_once(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a", "node-b"]);
        var b = cluster["node-b"];
        var stopped = (await cluster.WaitForStatusAsync("node-b", SiloStatus.Active)).Address;

        await using (var client = await cluster.ConnectClientAsync(b))
        {
            var locator = client.GetGrain<ILocatorGrain>(Key);
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(i, await locator.Increment());
            }
        }

        var before = await database.LookupAsync(Ledgers.Locator(Key));
        Assert.Equal(stopped, before?.Owner);

        b.Terminate();
        Assert.Equal(0, await cluster.WaitForExitAsync(b));

        // No waiting from here on: the stop itself wrote Dead and released the grain.
        Assert.Equal(SiloStatus.Dead, (await cluster.FindAsync("node-b"))!.Status);
        var released = await database.LookupAsync(Ledgers.Locator(Key));
        Assert.Null(released?.Owner);

        await using (var client = await cluster.ConnectClientAsync())
        {
            var locator = client.GetGrain<ILocatorGrain>(Key);
            Assert.Equal(4, await locator.Increment());
            Assert.Equal("node-a", await locator.Where());
        }

        var after = await database.LookupAsync(Ledgers.Locator(Key));
        Assert.Equal((await cluster.FindAsync("node-a"))!.Address, after?.Owner);
        Assert.True(after!.Epoch > before!.Epoch, $"the directory epoch grows on re-activation ({before.Epoch} -> {after.Epoch})");
    }

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task SIGTERM_of_a_silo_whose_grain_is_writing_hands_the_ledger_over_without_a_lost_write(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a", "node-b"]);
        var b = cluster["node-b"];
        await using (var client = await cluster.ConnectClientAsync(b))
        {
            await client.GetGrain<ILedgerGrain>(Key).StartWriting(TimeSpan.FromMilliseconds(50));
        }

        await cluster.WaitUntilAsync(async () => (await ReadLedgerAsync(database)).Count >= 3, "node-b writes the ledger");
        b.Terminate();
        Assert.Equal(0, await cluster.WaitForExitAsync(b));
        var atExit = await ReadLedgerAsync(database);

        // The reminder brings the ledger back on node-a, which goes on where node-b stopped.
        await cluster.WaitUntilAsync(
            async () => (await ReadLedgerAsync(database)).Count(e => e.StartsWith("node-a:", StringComparison.Ordinal)) >= 3,
            "node-a writes the ledger");
        var ledger = await ReadLedgerAsync(database);
        Assert.Equal(atExit, ledger.Take(atExit.Count));
        Assert.All(ledger.Skip(atExit.Count), e => Assert.StartsWith("node-a:", e, StringComparison.Ordinal));
        Ledgers.AssertNumberedInOrder(ledger);
    }

    private static Task<IReadOnlyList<string>> ReadLedgerAsync(FaultDatabase database) =>
        Ledgers.ReadAsync(database, Ledgers.Ledger(Key), "ledger");
}
