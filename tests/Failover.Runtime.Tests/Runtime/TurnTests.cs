using Failover.Runtime.Grains;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;
using Failover.Testing;

namespace Failover.Runtime.Tests.Runtime;

public sealed class TurnTests : SingleSiloTestBase
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Grains:ResponseTimeout"] = "00:00:10" };

    [Fact]
    public async Task Thousand_concurrent_calls_to_one_grain_run_one_turn_at_a_time()
    {
        var grain = Silo.GrainFactory.GetGrain<ISequenceGrain>("one");

        var counts = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => grain.Append(i))));

        Assert.Equal(0, await grain.GetOverlaps());
        Assert.Equal(Enumerable.Range(1, 1000), counts.Order());
        Assert.Equal(Enumerable.Range(0, 1000), (await grain.GetValues()).Order());
    }

    [Fact]
    public async Task Many_sequential_calls_are_never_lost()
    {
        // One caller, one grain: each call finds the activation's scheduler just going idle, the window in which a
        // lost wake-up leaves a call hanging (it then fails with a timeout). A burst of 64 callers first grows the
        // thread pool, which makes that window far more likely to be hit.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(caller => Task.Run(async () =>
        {
            var grain = Silo.GrainFactory.GetGrain<IThrowingGrain>($"burst-{caller}");
            for (var i = 0; i < 5_000; i++)
            {
                await grain.Echo("x");
            }
        })));

        var calls = await Task.WhenAll(Enumerable.Range(0, 2).Select(caller => Task.Run(async () =>
        {
            var grain = Silo.GrainFactory.GetGrain<IThrowingGrain>($"stress-{caller}");
            for (var i = 0; i < 400_000; i++)
            {
                await grain.Echo("x");
            }

            return 400_000;
        })));

        Assert.Equal(2 * 400_000, calls.Sum());
    }

    [Fact]
    public async Task Calls_from_one_caller_arrive_in_order()
    {
        var grain = Silo.GrainFactory.GetGrain<ISequenceGrain>("ordered");
        var pending = Enumerable.Range(0, 200).Select(grain.Append).ToList();
        await Task.WhenAll(pending);

        Assert.Equal(Enumerable.Range(0, 200), await grain.GetValues());
    }

    [Fact]
    public async Task Non_reentrant_grain_does_not_interleave_so_a_waiting_call_blocks_the_next()
    {
        await using var silo = await TestSilo.StartAsync(Database.Setting, new Dictionary<string, string?>
        {
            ["Grains:ResponseTimeout"] = "00:00:01",
            ["Grains:DeactivationTimeout"] = "00:00:01",
        });
        var grain = silo.GrainFactory.GetGrain<IGateGrain>("blocking");

        var waiting = grain.WaitForOpen();
        await Assert.ThrowsAsync<GrainCallTimeoutException>(grain.Open);
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => waiting);
    }

    [Fact]
    public async Task Reentrant_grain_interleaves_at_await_points_but_never_runs_in_parallel()
    {
        var grain = Silo.GrainFactory.GetGrain<IReentrantGateGrain>("reentrant");

        var waiters = Enumerable.Range(0, 20).Select(_ => grain.WaitForOpen()).ToList();
        await Eventually.True(async () =>
        {
            await grain.Open();
            return waiters.All(w => w.IsCompleted);
        }, "every waiter was released by an interleaved Open");

        Assert.All(await Task.WhenAll(waiters), r => Assert.Equal("opened", r));
        Assert.Equal(0, await grain.GetParallelSections());
    }

    [Fact]
    public async Task Different_grains_are_different_activations()
    {
        var a = Silo.GrainFactory.GetGrain<ISequenceGrain>("a");
        var b = Silo.GrainFactory.GetGrain<ISequenceGrain>("b");
        await a.Append(1);
        await b.Append(2);
        await b.Append(3);

        Assert.Equal([1], await a.GetValues());
        Assert.Equal([2, 3], await b.GetValues());
    }
}
