using Failover.Runtime.Grains;
using Failover.Runtime.Membership;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Failover.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Runtime.Tests.Cluster;

public sealed class FailoverTests : ClusterTestBase
{
    [Fact]
    public async Task A_killed_silo_is_declared_Dead_and_its_grains_come_back_on_a_survivor_with_state_and_a_higher_epoch()
    {
        var silos = await StartSilosAsync("a", "b", "c");
        var before = await silos[1].GrainFactory.GetGrain<IWhereGrain>("w").Touch();
        await silos[1].GrainFactory.GetGrain<IWhereGrain>("w").Touch();
        Assert.Equal("b", before.Node);

        await Cluster.KillSiloAsync(silos[1]);
        await WaitUntilDeadAsync(silos[1].Address);

        var after = await CallUntilAnsweredAsync(() => silos[0].GrainFactory.GetGrain<IWhereGrain>("w").Touch());
        Assert.NotEqual("b", after.Node);
        Assert.Equal(3, after.Count);
        Assert.True(after.Epoch > before.Epoch, $"epoch {after.Epoch} should be above {before.Epoch}");
    }

    [Fact]
    public async Task A_paused_silo_is_declared_Dead_its_grain_moves_and_on_resuming_it_writes_nothing_and_stops()
    {
        var silos = await StartSilosAsync("a", "b", "c");
        var before = await silos[1].GrainFactory.GetGrain<IWhereGrain>("paused").Touch();

        Cluster.PauseSilo(silos[1]);
        await WaitUntilDeadAsync(silos[1].Address);
        // The caller routes by its own view: until that shows b Dead, a call still goes to b and fails SiloUnavailable
        // (as documented for calls pending on a silo declared Dead).
        await Eventually.True(() => silos[0].Services.GetRequiredService<MembershipView>().IsDead(silos[1].Address), "a's view shows b Dead");
        var after = await silos[0].GrainFactory.GetGrain<IWhereGrain>("paused").Touch();
        Assert.NotEqual("b", after.Node);
        Assert.Equal(before.Count + 1, after.Count);
        Assert.True(after.Epoch > before.Epoch);

        // Resumed, b still holds the old activation: a call there now is fenced in SQL, never committed.
        Cluster.ResumeSilo(silos[1]);
        var stale = await Record.ExceptionAsync(() => silos[1].GrainFactory.GetGrain<IWhereGrain>("paused").Touch());
        Assert.NotNull(stale);
        // Whether its lease renewal or its protocol round finds out first, the silo stops its host.
        await Eventually.True(() => silos[1].Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested,
            "the resumed silo read itself Dead and stopped");
        Assert.Equal(after.Count, (await silos[0].GrainFactory.GetGrain<IWhereGrain>("paused").Peek()).Count);
    }

    [Fact]
    public async Task In_a_two_silo_cluster_the_survivor_declares_a_killed_silo_Dead_alone()
    {
        var silos = await StartSilosAsync("a", "b");

        await Cluster.KillSiloAsync(silos[1]);

        await WaitUntilDeadAsync(silos[1].Address);
        Assert.Equal(SiloStatus.Active, (await ReadMembershipAsync()).Find(silos[0].Address)!.Status);
    }

    [Fact]
    public async Task A_gracefully_stopped_silo_is_Dead_and_its_grains_activate_elsewhere_at_once()
    {
        var silos = await StartSilosAsync("a", "b");
        await silos[1].GrainFactory.GetGrain<IWhereGrain>("g").Touch();

        await Cluster.StopSiloAsync(silos[1]);

        Assert.Equal(SiloStatus.Dead, (await ReadMembershipAsync()).Find(silos[1].Address)!.Status);
        var after = await silos[0].GrainFactory.GetGrain<IWhereGrain>("g").Touch();
        Assert.Equal(new Whereabouts("a", after.Epoch, 2), after);
    }

    [Fact]
    public async Task Reminders_of_a_killed_silo_keep_firing_on_a_survivor()
    {
        var silos = await StartSilosAsync("a", "b", "c");
        var key = Guid.NewGuid().ToString("N");
        foreach (var silo in silos)
        {
            // Reminders for several grains, so each silo's ring range is likely to hold some.
            for (var i = 0; i < 6; i++)
            {
                await silo.GrainFactory.GetGrain<IReminderGrain>($"{key}-{silo.Name}-{i}").Register("r", TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
            }
        }

        await Cluster.KillSiloAsync(silos[2]);
        await WaitUntilDeadAsync(silos[2].Address);
        var survivors = silos.Take(2).Select(s => s.Services.GetRequiredService<GrainEventLog>()).ToList();
        var grains = silos.SelectMany(s => Enumerable.Range(0, 6).Select(i => $"{key}-{s.Name}-{i}")).ToList();
        var countsAtDeath = grains.ToDictionary(g => g, g => survivors.Sum(e => e.Count($"tick:{g}:r")));

        await Eventually.True(
            () => grains.All(g => survivors.Sum(e => e.Count($"tick:{g}:r")) >= countsAtDeath[g] + 2),
            "every grain's reminder ticked twice more on the survivors");
    }

    [Fact]
    public async Task Ticks_missed_while_a_killed_silo_is_taken_over_are_reported()
    {
        var silos = await StartSilosAsync("a", "b", "c");
        // Shorter than any take-over (a probe round at least), so ticks are certainly missed in between.
        var period = TimeSpan.FromMilliseconds(50);
        var active = silos.Select(s => s.Address).ToList();
        var victimRange = Reminders.ReminderRing.RangeOf(silos[2].Address, active)!.Value;
        // Grains whose reminders the victim fires (by the ring of the three Active silos).
        var keys = Enumerable.Range(0, 200).Select(i => $"{Guid.NewGuid():N}-{i}")
            .Where(k => Reminders.ReminderRing.Contains(victimRange.Begin, victimRange.End, new GrainId("ReminderGrain", k).GetUniformHashCode()))
            .Take(3).ToList();
        Assert.NotEmpty(keys);
        await Eventually.True(() => silos.All(s => s.Services.GetRequiredService<MembershipView>().ActiveSilos.Count == 3), "every silo sees all three Active");
        foreach (var key in keys)
        {
            await silos[0].GrainFactory.GetGrain<IReminderGrain>(key).Register("m", TimeSpan.Zero, period);
        }

        // Registered on a, but fired by the ring's owner, which a told at once.
        bool Fires(InProcessSilo silo, string key) => silo.Services.GetRequiredService<Reminders.ReminderService>().Fires(new GrainId("ReminderGrain", key), "m");
        await Eventually.True(() => keys.All(k => Fires(silos[2], k) && !Fires(silos[0], k) && !Fires(silos[1], k)), "only the victim fires the reminders");
        await Eventually.True(() => keys.All(k => ReminderGrain.Ticks.Count(t => t.Key == k) >= 2), "the victim fires the reminders");
        await Cluster.KillSiloAsync(silos[2]);
        var killedAt = DateTime.UtcNow;
        await Eventually.True(() => keys.All(k => ReminderGrain.Ticks.Count(t => t.Key == k && t.ReceivedAt > killedAt) >= 2), "survivors fire them");

        foreach (var key in keys)
        {
            var ticks = ReminderGrain.Ticks.Where(t => t.Key == key).ToList();
            var firstAfter = ticks.FindIndex(t => t.ReceivedAt > killedAt);
            // The first tick after the kill may still be one the victim had in flight; the take-over tick follows.
            Assert.True(ticks.Skip(firstAfter).Any(t => t.Status.MissedTicks > 0), $"killed {killedAt:HH:mm:ss.fff}; ticks: " + string.Join(" | ", ticks.Select(t => $"{t.Status.CurrentTickTime:ss.fff} m{t.Status.MissedTicks} @{t.ReceivedAt:ss.fff}")));

            // Reminders are delivered at least once, and a tick the victim delivered but had not yet recorded (or
            // failed to record) is counted as missed by the survivor: reports may over-count such ticks, but a gap is
            // never under-reported.
            var distinct = ticks.DistinctBy(t => t.Status.CurrentTickTime).OrderBy(t => t.Status.CurrentTickTime).ToList();
            var killedTick = distinct.FindIndex(t => t.ReceivedAt > killedAt);
            for (var i = Math.Max(1, killedTick); i < distinct.Count; i++)
            {
                var gap = (int)((distinct[i].Status.CurrentTickTime - distinct[i - 1].Status.CurrentTickTime) / period);
                Assert.True(distinct[i].Status.MissedTicks >= gap - 1, $"tick {i}: {gap - 1} ticks were not delivered but {distinct[i].Status.MissedTicks} reported");
            }
        }
    }

    [Fact]
    public async Task A_call_pending_on_a_silo_that_is_declared_Dead_fails_with_SiloUnavailable()
    {
        var silos = await StartSilosAsync("a", "b");
        await silos[1].GrainFactory.GetGrain<IGateGrain>("pending").Open();
        var pending = silos[0].GrainFactory.GetGrain<IGateGrain>("pending").WaitForOpen();

        await Cluster.KillSiloAsync(silos[1]);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => pending);
    }

    private static async Task<T> CallUntilAnsweredAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (SiloUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
