using Orleans.Runtime;
using Failover.TestHost;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>kill -9 of a silo process: the survivors declare it Dead and take over its grains and reminders.</summary>
[Collection(SiloProcessCollection.Name)]
public sealed class KillFailoverTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(FaultDatabase.Sqlite)]
    [InlineData(FaultDatabase.PostgreSql)]
    public async Task Kill_9_moves_a_grain_with_its_state_and_its_reminder_to_a_survivor(string databaseKind)
    {
        await using var database = await FaultDatabase.CreateAsync(databaseKind);
        await using var cluster = await ProcessCluster.StartAsync(database, output, ["node-a", "node-b", "node-c"]);
        var b = cluster["node-b"];
        var bRow = await cluster.WaitForStatusAsync("node-b", SiloStatus.Active);

        await using (var client = await cluster.ConnectClientAsync(b))
        {
            var locator = client.GetGrain<ILocatorGrain>("kill-9");
            Assert.Equal("node-b", await locator.Where());
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(i, await locator.Increment());
            }

            // Reminders tick at most once a second (Reminders:MinimumReminderPeriod).
            await client.GetGrain<IPulseGrain>("kill-9").Start(TimeSpan.FromSeconds(1));
        }

        await cluster.WaitUntilAsync(async () => (await ReadTicksAsync(database)).Count(FromNodeB) >= 2, "node-b records pulse ticks");
        var before = await database.LookupAsync(Ledgers.Locator("kill-9"));
        Assert.Equal(bRow.Address, before?.Owner);

        b.Kill();
        await cluster.WaitForExitAsync(b);
        await cluster.WaitForStatusAsync("node-b", SiloStatus.Dead);
        // A survivor declares it: its refused-port check ("Silo S (node-b) refused two connections"), or, had the kernel not
        // refused in time, Orleans' membership with the vote: "Evicting 'S127.0.0.1:port:generation'. ..."
        string[] declarations = [$"Silo {bRow.Address.ToParsableString()} (node-b) refused two connections", $"Evicting '{bRow.Address}'"];
        await cluster.WaitUntilAsync(
            () => Task.FromResult(new[] { "node-a", "node-c" }.Any(n => declarations.Any(d => cluster[n].Log.Contains(d, StringComparison.Ordinal)))),
            "a survivor logs that it declared node-b Dead");

        await using (var client = await cluster.ConnectClientAsync())
        {
            var locator = client.GetGrain<ILocatorGrain>("kill-9");
            var count = 0;
            await cluster.WaitUntilAsync(async () => (count = await GetOrZeroAsync(locator)) > 0, "the grain answers from a survivor");
            Assert.Equal(3, count);
            Assert.Equal(4, await locator.Increment());
            Assert.Contains(await locator.Where(), new[] { "node-a", "node-c" });
        }

        var after = await database.LookupAsync(Ledgers.Locator("kill-9"));
        Assert.NotNull(after?.Owner);
        Assert.NotEqual(bRow.Address, after.Owner);
        Assert.True(after.Epoch > before!.Epoch, $"the directory epoch grows on re-activation ({before.Epoch} -> {after.Epoch})");

        await cluster.WaitUntilAsync(
            async () => (await ReadTicksAsync(database)).Reverse().TakeWhile(t => !FromNodeB(t)).Count() >= 2,
            "pulse ticks keep arriving, recorded by a survivor");
    }

    /// <summary>Where each pulse tick arrived: <c>node:missedTicks</c>.</summary>
    private static Task<IReadOnlyList<string>> ReadTicksAsync(FaultDatabase database) => Ledgers.ReadAsync(database, Ledgers.Pulse("kill-9"), "pulse");

    private static bool FromNodeB(string tick) => tick.StartsWith("node-b:", StringComparison.Ordinal);

    /// <summary>The count, or 0 while the call cannot reach the grain yet (the gateway has not seen node-b Dead).</summary>
    private static async Task<int> GetOrZeroAsync(ILocatorGrain locator)
    {
        try
        {
            return await locator.Get();
        }
        catch (Exception exception) when (exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
        {
            return 0;
        }
    }
}
