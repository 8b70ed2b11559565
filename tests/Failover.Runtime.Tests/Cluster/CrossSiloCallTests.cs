using Failover.Runtime.Tests.Grains;

namespace Failover.Runtime.Tests.Cluster;

public sealed class CrossSiloCallTests : ClusterTestBase
{
    [Fact]
    public async Task A_grain_lives_on_the_silo_that_first_called_it_and_others_reach_it_there()
    {
        var silos = await StartSilosAsync("a", "b", "c");

        var first = await silos[1].GrainFactory.GetGrain<IWhereGrain>("g").Touch();
        var fromA = await silos[0].GrainFactory.GetGrain<IWhereGrain>("g").Touch();
        var fromC = await silos[2].GrainFactory.GetGrain<IWhereGrain>("g").Touch();

        Assert.Equal("b", first.Node);
        Assert.Equal(new Whereabouts("b", first.Epoch, 2), fromA);
        Assert.Equal(new Whereabouts("b", first.Epoch, 3), fromC);
    }

    [Fact]
    public async Task Exceptions_cross_silos_with_their_type_and_message()
    {
        var silos = await StartSilosAsync("a", "b");
        await silos[1].GrainFactory.GetGrain<IThrowingGrain>("t").Echo("activate on b");

        var invalid = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            silos[0].GrainFactory.GetGrain<IThrowingGrain>("t").ThrowInvalidOperation("across"));
        var argument = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await silos[0].GrainFactory.GetGrain<IThrowingGrain>("t").ThrowSynchronously("also across"));

        Assert.Equal("across", invalid.Message);
        Assert.Equal("also across", argument.Message);
    }

    [Fact]
    public async Task Many_concurrent_calls_from_every_silo_reach_one_activation()
    {
        var silos = await StartSilosAsync("a", "b", "c");

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            silos[i % 3].GrainFactory.GetGrain<IWhereGrain>("busy").Touch()));

        Assert.Single(results.Select(r => (r.Node, r.Epoch)).Distinct());
        Assert.Equal(Enumerable.Range(1, 300), results.Select(r => r.Count).Order());
    }

    [Fact]
    public async Task A_client_calls_grains_through_a_gateway_found_in_the_membership_table()
    {
        var silos = await StartSilosAsync("a", "b");
        await silos[0].GrainFactory.GetGrain<IWhereGrain>("c").Touch();
        var client = await Cluster.ConnectClientAsync();

        var placement = await client.GetGrain<IWhereGrain>("c").Touch();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetGrain<IThrowingGrain>("x").ThrowInvalidOperation("from the client"));

        Assert.Equal(new Whereabouts("a", placement.Epoch, 2), placement);
        Assert.Equal("from the client", error.Message);
    }
}
