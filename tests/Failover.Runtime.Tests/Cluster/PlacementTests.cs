using Failover.Runtime.Grains;
using Failover.Runtime.Placement;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Failover.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Runtime.Tests.Cluster;

public sealed class PlacementTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private TestCluster _cluster = null!;

    public Task InitializeAsync()
    {
        _cluster = new TestCluster(new TestClusterOptions
        {
            Database = _database.Setting,
            GrainAssemblies = [typeof(PlacementTests).Assembly],
            ConfigureServices = services => services
                .AddSingleton<GrainEventLog>()
                .AddSingleton<IGrainPlacement>(new WitnessPlacement()),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task A_witness_grain_avoids_the_nodes_it_judges_when_another_silo_is_Active()
    {
        var a = await _cluster.StartSiloAsync("a");
        var b = await _cluster.StartSiloAsync("b");
        var c = await _cluster.StartSiloAsync("c");

        // Placement judges by the calling silo's view: each caller must see c Active.
        foreach (var silo in new[] { a, b, c })
        {
            await WaitForActiveAsync(silo, 3);
        }

        Assert.Equal("c", (await a.GrainFactory.GetGrain<IWhereGrain>("witness-1").Touch()).Node);
        Assert.Equal("c", (await b.GrainFactory.GetGrain<IWhereGrain>("witness-2").Touch()).Node);
        Assert.Equal("a", (await a.GrainFactory.GetGrain<IWhereGrain>("plain").Touch()).Node);
        Assert.Equal("c", (await c.GrainFactory.GetGrain<IWhereGrain>("witness-1").Touch()).Node);
    }

    [Fact]
    public async Task With_only_the_judged_nodes_Active_the_witness_stays_on_the_caller()
    {
        var a = await _cluster.StartSiloAsync("a");
        await _cluster.StartSiloAsync("b");
        await WaitForActiveAsync(a, 2);

        Assert.Equal("a", (await a.GrainFactory.GetGrain<IWhereGrain>("witness-1").Touch()).Node);
    }

    private static Task WaitForActiveAsync(InProcessSilo silo, int count) =>
        Eventually.True(
            () => Task.FromResult(silo.Services.GetRequiredService<Failover.Runtime.Membership.MembershipView>().ActiveSilos.Count == count),
            $"{count} silos Active in {silo.Name}'s view");

    private sealed class WitnessPlacement : AvoidNodesPlacement
    {
        public override bool Covers(GrainId grain) => grain.Key.StartsWith("witness-", StringComparison.Ordinal);

        protected override IReadOnlyCollection<string> NodesToAvoid(GrainId grain) => ["a", "b"];
    }
}
