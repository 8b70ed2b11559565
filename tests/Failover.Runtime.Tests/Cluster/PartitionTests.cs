using System.Collections.Concurrent;
using Failover.Runtime.Membership;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Failover.Testing;

namespace Failover.Runtime.Tests.Cluster;

public sealed class PartitionTests : ClusterTestBase
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Grains:ResponseTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task Two_silos_that_cannot_reach_each_other_never_both_commit_writes_for_one_grain()
    {
        var silos = await StartSilosAsync("a", "b");
        var first = await silos[0].GrainFactory.GetGrain<IWhereGrain>("contested").Touch();

        Cluster.Partition(silos[0], silos[1]);
        var committed = new ConcurrentBag<Whereabouts>();
        using var stop = new CancellationTokenSource();
        var writers = silos.Select(silo => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    committed.Add(await silo.GrainFactory.GetGrain<IWhereGrain>("contested").Touch());
                }
                catch (Exception)
                {
                    // Timeouts, a silo that is gone, a fenced write: nothing was committed.
                    await Task.Delay(10);
                }
            }
        })).ToList();

        // Each silo suspects the other; one declaration wins the compare-and-swap and the loser, reading itself
        // Dead, stops. The survivor takes the grain over.
        await Eventually.True(async () =>
        {
            var rows = await ReadMembershipAsync();
            return silos.Count(s => rows.Find(s.Address)?.Status == SiloStatus.Dead) == 1;
        }, "exactly one side of the partition was declared Dead");
        var rows = await ReadMembershipAsync();
        var survivor = silos.Single(s => rows.Find(s.Address)?.Status == SiloStatus.Active);
        var committedBefore = committed.Count;
        await Eventually.True(() => committed.Count >= committedBefore + 3, "the survivor goes on committing writes");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var counts = committed.Select(p => p.Count).ToList();
        Assert.Equal(counts.Count, counts.Distinct().Count());
        var final = await survivor.GrainFactory.GetGrain<IWhereGrain>("contested").Peek();
        Assert.Equal(first.Count + counts.Count, final.Count);
        Assert.Equal(survivor.Name, final.Node);
    }
}
