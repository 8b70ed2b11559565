using System.Diagnostics;
using Failover.Agents.DirectorClusters;
using Failover.Host.Tests.Faults;
using Xunit.Abstractions;

namespace Failover.Host.Tests.DirectorClusters;

/// <summary>
/// A database blip with every silo alive: PostgreSQL is unreachable for about five seconds (a TCP proxy in front of it
/// is cut). Every silo's node lease lapses, so the active director stops acting and the witness's calls and ticks are
/// held or refused; none of that is a director's silence. Afterwards the event log shows no node-loss alarm (or, had
/// one been raised, its all-clear) and the cluster is Coupled again with the same active and epoch.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task After_five_seconds_without_the_database_the_cluster_is_coupled_again_with_the_same_active_and_no_alarm_is_left()
    {
        var (database, proxy) = await FaultDatabase.CreatePostgreSqlBehindProxyAsync();
        await using var _ = proxy;
        await using var agents = await DirectorHarness.StartCoupledAsync(database, output, DirectorHarness.Topology());
        var (cluster, coupled) = (agents.Cluster, agents.Coupled);
        var eventsBefore = (await agents.EventsAsync()).Count;
        var logMark = cluster["node-a"].Log.Length;

        try
        {
            var outage = Stopwatch.StartNew();
            proxy.Disconnect();
            // The outage is felt: the active director's silo lost its node lease, so it stopped acting.
            await cluster.WaitUntilAsync(
                () => Task.FromResult(cluster["node-a"].Log[logMark..].Contains("Director agent-1/primary no longer acting as active", StringComparison.Ordinal)),
                "the active director stops acting without the database");
            if (s_outage - outage.Elapsed is { Ticks: > 0 } rest)
            {
                await Task.Delay(rest); // the length of the injected fault, not a wait for anything
            }
        }
        finally
        {
            proxy.Reconnect();
        }

        var actingAgain = $"Director agent-1/primary ACTING as active with epoch {coupled.Epoch} ";
        await cluster.WaitUntilAsync(
            () => Task.FromResult(cluster["node-a"].Log[logMark..].Contains(actingAgain, StringComparison.Ordinal)),
            "the primary acts again with the same epoch");
        var view = await agents.WaitForViewAsync(
            v => v is { State: "Coupled", Active: "primary" } && v.Instances.All(i => i.LastHeartbeatAgeMs is < 1000),
            "Coupled with the primary active, both directors heard");
        Assert.Equal(coupled.Epoch, view.Epoch);

        var events = (await agents.EventsAsync()).Skip(eventsBefore).ToList();
        output.WriteLine("events during and after the outage:");
        output.WriteLine(string.Join(Environment.NewLine, events.Select(e => $"{e.Kind}: {e.Detail}")));
        output.WriteLine("the witness's silo (node-c) on agent-1:");
        output.WriteLine(string.Join(Environment.NewLine, cluster["node-c"].Log.Split('\n').Where(l => l.Contains("Director cluster agent-1", StringComparison.Ordinal))));
        var kinds = events.Select(e => e.Kind).ToList();
        Assert.DoesNotContain(DirectorEventKinds.FailedOver, kinds);
        Assert.DoesNotContain(DirectorEventKinds.ClaimsConflict, kinds);
        var alarm = kinds.LastIndexOf(DirectorEventKinds.NodeLossNotConfirmed);
        Assert.True(alarm < 0 || kinds.IndexOf(DirectorEventKinds.LossCleared, alarm) > alarm,
            $"a node-loss alarm was raised and never cleared:{Environment.NewLine}{string.Join(Environment.NewLine, kinds)}");
        Assert.DoesNotContain(DirectorEventKinds.NodeLossNotConfirmed, kinds);
        Assert.DoesNotContain("ACTING as active", cluster["node-b"].Log, StringComparison.Ordinal);
    }
}
