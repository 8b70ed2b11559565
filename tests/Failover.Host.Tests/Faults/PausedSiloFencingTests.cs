using Orleans.Runtime;
using Failover.TestHost;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// SIGSTOP of a silo while its grain writes: the others declare it Dead and take the grain over; when it resumes, the
/// fence rejects every write of the old activation and the silo exits on reading itself Dead.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class PausedSiloFencingTests(ITestOutputHelper output)
{
    private const string Key = "paused";

    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public Task A_resumed_silo_cannot_write_after_a_survivor_took_over_and_exits_with_code_3(string databaseKind) =>
        PauseTheWriterAsync(databaseKind, []);

    /// <summary>
    /// node-b's Lease:Timeout is longer than the pause, so its lease gate lets the resumed activation go on: only the
    /// fence in SQL (node-b's Dead row, the directory epoch) stands between it and the ledger until node-b reads itself
    /// Dead. Whether its timer gets to write before that is a race; either way none of its writes may land. (A lease
    /// must lapse before the silo's own probes could declare a peer Dead, or count it stale, so node-b's probe timeout
    /// and IAmAlive miss period grow with it; the others detect node-b with their own, tuned options.)
    /// </summary>
    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public Task A_resumed_silo_that_still_trusts_its_lease_lands_no_write_after_the_take_over(string databaseKind) =>
        PauseTheWriterAsync(
            databaseKind,
            ["Lease:Timeout=00:00:20", "Membership:ProbeTimeout=00:00:08", "Membership:MinProbeTimeout=00:00:08", "Membership:MaxProbeTimeout=00:00:08", "Membership:IAmAliveTablePublishTimeout=00:00:08"]);

    private async Task PauseTheWriterAsync(string databaseKind, string[] writerSettings)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, [("node-a", []), ("node-b", writerSettings), ("node-c", [])]);
        var b = cluster["node-b"];
        var paused = (await cluster.WaitForStatusAsync("node-b", SiloStatus.Active)).Address;
        var pausedPrefix = $"node-b:{paused.Generation}:";

        await using (var client = await cluster.ConnectClientAsync(b))
        {
            await client.GetGrain<ILedgerGrain>(Key).StartWriting(TimeSpan.FromMilliseconds(50));
        }

        await cluster.WaitUntilAsync(async () => (await ReadLedgerAsync(database)).Count >= 3, "node-b writes the ledger");

        b.Pause();
        await cluster.WaitForStatusAsync("node-b", SiloStatus.Dead);
        await cluster.WaitUntilAsync(
            async () => (await ReadLedgerAsync(database)).Any(e => !e.StartsWith(pausedPrefix, StringComparison.Ordinal)),
            "a survivor writes the ledger");

        b.Resume();
        Assert.Equal(3, await cluster.WaitForExitAsync(b));
        var atExit = (await ReadLedgerAsync(database)).Count;
        await cluster.WaitUntilAsync(async () => (await ReadLedgerAsync(database)).Count >= atExit + 3, "the survivor goes on writing");

        var ledger = await ReadLedgerAsync(database);
        var firstSurvivorEntry = ledger.ToList().FindIndex(e => !e.StartsWith(pausedPrefix, StringComparison.Ordinal));
        Assert.True(firstSurvivorEntry > 0, $"the ledger starts with node-b's entries:\n{string.Join('\n', ledger)}");
        Assert.All(ledger.Skip(firstSurvivorEntry), e => Assert.False(
            e.StartsWith(pausedPrefix, StringComparison.Ordinal), $"an entry of the paused incarnation after the take-over: {e}"));
        Ledgers.AssertNumberedInOrder(ledger);

        // Its writes after SIGCONT were rejected ("LEDGER WRITE REJECTED"), or it stopped before attempting one: the
        // ledger above has none of them either way. It said why it left: its lease renewal found its row Dead, or
        // Orleans' table refresh did.
        Assert.Matches("fatal: .*(is declared Dead in the membership table|I have been told I am dead)", b.Log);
        var rejected = b.Log.Contains("LEDGER WRITE REJECTED", StringComparison.Ordinal);
        output.WriteLine($"node-b after SIGCONT: {(rejected ? "its writes were rejected by the fence" : "it stopped before a write was rejected")}, exit code 3");
    }

    private static Task<IReadOnlyList<string>> ReadLedgerAsync(FaultDatabase database) =>
        Ledgers.ReadAsync(database, Ledgers.Ledger(Key), "ledger");
}
