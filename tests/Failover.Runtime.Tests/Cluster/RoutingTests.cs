using Failover.Runtime.Grains;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Failover.Testing;

namespace Failover.Runtime.Tests.Cluster;

public sealed class RoutingTests : ClusterTestBase
{
    [Fact]
    public async Task A_call_that_reaches_a_silo_no_longer_owning_the_grain_is_rerouted_to_the_new_owner()
    {
        var silos = await StartSilosAsync("a", "b", "c");
        await silos[1].GrainFactory.GetGrain<ICounterGrain>("moving").Increment("on b");
        Assert.Equal(1, await silos[0].GrainFactory.GetGrain<ICounterGrain>("moving").Get()); // a now caches "on b"

        // The grain leaves b and comes back on c; a's cache still says b.
        await silos[1].GrainFactory.GetGrain<ICounterGrain>("moving").Deactivate();
        await Eventually.True(async () =>
            (await silos[2].Services.GetRequiredService<Failover.Runtime.Directory.IGrainDirectoryTable>()
                .LookupAsync(new GrainId("CounterGrain", "moving"), CancellationToken.None))?.Owner is null,
            "b released the grain");
        Assert.Equal(2, await silos[2].GrainFactory.GetGrain<ICounterGrain>("moving").Increment("on c"));

        Assert.Equal(3, await silos[0].GrainFactory.GetGrain<ICounterGrain>("moving").Increment("from a"));
        var owner = await silos[0].Services.GetRequiredService<Failover.Runtime.Directory.IGrainDirectoryTable>()
            .LookupAsync(new GrainId("CounterGrain", "moving"), CancellationToken.None);
        Assert.Equal(silos[2].Address, owner!.Owner);
    }

    [Fact]
    public async Task A_client_whose_gateway_dies_fails_pending_calls_and_then_uses_another_gateway()
    {
        var silos = await StartSilosAsync("a", "b");
        var client = await Cluster.ConnectClientAsync();
        var gateway = silos.Single(s => s.Address.ToString() == client.Gateway);
        var other = silos.Single(s => s != gateway);
        await other.GrainFactory.GetGrain<IGateGrain>("held").Open();
        var pending = client.GetGrain<IGateGrain>("held").WaitForOpen();

        await Cluster.KillSiloAsync(gateway);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => pending);
        var placement = await client.GetGrain<IWhereGrain>("after").Touch();
        Assert.Equal(other.Name, placement.Node);
        Assert.Equal(other.Address.ToString(), client.Gateway);
    }
}
