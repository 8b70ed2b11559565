using Failover.Hosting.Leases;
using Failover.Hosting.Tests.Cluster;
using Failover.Hosting.Tests.Grains;
using Failover.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Failover.Hosting.Tests;

/// <summary>
/// A silo whose node lease lapsed (its renewals cannot reach the database) holds its product grains still: calls and
/// timer ticks wait for the lease, and are refused after one lease timeout; Orleans' own calls go on (invariant 4).
/// </summary>
public sealed class LeaseCallFilterTests : IAsyncLifetime
{
    private FailoverTestCluster? _cluster;

    private FailoverTestCluster Cluster => _cluster!;

    private SiloHandle Silo => Cluster.Silos[0];

    private NodeLease Lease => Cluster.Services(Silo).GetRequiredService<NodeLease>();

    private LeaseSwitch Renewals => Cluster.Services(Silo).GetRequiredService<LeaseSwitch>();

    private CallLog Log => Cluster.Services(Silo).GetRequiredService<CallLog>();

    public async Task InitializeAsync() =>
        _cluster = await FailoverTestCluster.StartAsync(1, configureSilo: silo => silo.AddIncomingGrainCallFilter<CallLogFilter>());

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_product_call_is_held_while_the_lease_is_lapsed_and_runs_once_it_is_renewed_while_Orleans_calls_pass()
    {
        var grain = Cluster.Grains(Silo).GetGrain<ILeaseProbeGrain>("held");
        Assert.Equal("before", await grain.Ping("before"));

        await LapseAsync();
        var held = grain.Ping("held");
        await Eventually.True(() => Log.Entered.Contains("held"), "the call reached the silo's call filters");

        // Orleans' own grains still answer on the silo, so it keeps its place in the cluster.
        var hosts = await Cluster.Grains(Silo).GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(SiloStatus.Active, hosts[Silo.SiloAddress]);
        Assert.DoesNotContain("held", Log.Ran);
        Assert.False(held.IsCompleted);

        Renewals.Restore();

        Assert.Equal("held", await held);
        Assert.True(Lease.IsHeld);
        Assert.Equal(["before", "held"], Log.Ran);
    }

    [Fact]
    public async Task A_product_call_held_for_a_whole_lease_timeout_is_refused_with_NodeLeaseLapsedException()
    {
        var grain = Cluster.Grains(Silo).GetGrain<ILeaseProbeGrain>("refused");
        Assert.Equal("before", await grain.Ping("before"));

        await LapseAsync();
        var refused = await Assert.ThrowsAsync<NodeLeaseLapsedException>(() => grain.Ping("refused"));

        Assert.Contains("holds no node lease", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Ping was not run", refused.Message, StringComparison.Ordinal);
        Assert.Contains("refused", Log.Entered);
        Assert.DoesNotContain("refused", Log.Ran);

        Renewals.Restore();
        await Eventually.True(() => Lease.IsHeld, "the lease is renewed");
        Assert.Equal("after", await grain.Ping("after"));
    }

    [Fact]
    public async Task Timer_ticks_of_a_product_grain_do_not_run_while_the_lease_is_lapsed_and_the_timer_goes_on_after_it()
    {
        var grain = Cluster.Grains(Silo).GetGrain<ILeaseProbeGrain>("ticking");
        await grain.StartTicking(TimeSpan.FromMilliseconds(100));
        await Eventually.True(() => Log.Ticks >= 3, "the timer ticks");

        await LapseAsync();
        var atLapse = Log.Ticks;
        // Two calls refused one after the other, each after a whole lease timeout: the lease stays lapsed longer than
        // any tick waits for it, so ticks are skipped, and dozens of tick periods pass. One tick may have been running
        // when the lease lapsed.
        await Assert.ThrowsAsync<NodeLeaseLapsedException>(() => grain.Ping("meanwhile"));
        await Assert.ThrowsAsync<NodeLeaseLapsedException>(() => grain.Ping("still lapsed"));
        Assert.InRange(Log.Ticks, atLapse, atLapse + 1);

        Renewals.Restore();
        await Eventually.True(() => Log.Ticks >= atLapse + 3, "the timer ticks again once the lease is renewed");
    }

    private async Task LapseAsync()
    {
        await Eventually.True(() => Lease.IsHeld, "the silo holds its node lease");
        Renewals.Cut();
        await Eventually.True(() => !Lease.IsHeld, "the node lease lapses");
    }
}
