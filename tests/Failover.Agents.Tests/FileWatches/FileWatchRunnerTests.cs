using Failover.Agents.FileWatches;

namespace Failover.Agents.Tests.FileWatches;

public sealed class FileWatchRunnerTests
{
    private const int Many = 200;

    private static string Name(int i) => $"in-{i:D3}.csv";

    [Fact]
    public async Task Every_dropped_file_gets_exactly_one_order()
    {
        await using var watch = new WatchHarness();
        watch.Start();
        await watch.FirstPassAsync();
        var ids = Enumerable.Range(0, Many).Select(i => watch.Drop(Name(i))).ToList();

        await watch.UntilAsync(() => watch.Sink.Count == Many, $"all {Many} files have an order");
        await watch.PassesAsync(2, "the watch has looked again");
        Assert.All(ids, id => Assert.Equal((1, 1), watch.Sink.Of(id)));
        Assert.Equal(
            new Dictionary<string, string> { ["file"] = Path.Join(watch.Directory, Name(7)) },
            watch.Sink.Arguments(ids[7]));
    }

    [Fact]
    public async Task A_new_active_with_the_files_still_there_adds_no_second_order()
    {
        await using var watch = new WatchHarness();
        var ids = Enumerable.Range(0, Many).Select(i => watch.Drop(Name(i))).ToList();
        watch.Start();
        await watch.UntilAsync(() => watch.Sink.Count == Many, $"all {Many} files have an order");
        foreach (var id in ids.Take(Many / 2))
        {
            watch.Sink.End(id);
        }

        await watch.StopAsync();
        watch.Start();
        await watch.PassesAsync(3, "the new runner has listed the directory after more than the delay");

        Assert.All(ids, id => Assert.Equal((1, 1), watch.Sink.Of(id)));
        Assert.Equal(Many, watch.Sink.Count);
    }

    [Fact]
    public async Task Deleted_files_forget_their_ended_orders_and_running_ones_once_they_ended()
    {
        await using var watch = new WatchHarness();
        var ids = Enumerable.Range(0, Many).Select(i => watch.Drop(Name(i))).ToList();
        watch.Start();
        await watch.UntilAsync(() => watch.Sink.Count == Many, $"all {Many} files have an order");
        var ended = ids.Where((_, i) => i % 2 == 0).ToList();
        var running = ids.Where((_, i) => i % 2 == 1).ToList();
        ended.ForEach(watch.Sink.End);

        Enumerable.Range(0, Many).ToList().ForEach(i => watch.Delete(Name(i)));
        await watch.UntilAsync(() => watch.Sink.Forgotten == ended.Count, "the ended orders of deleted files are forgotten");
        await watch.PassesAsync(2, "the watch has looked again");
        Assert.All(running, id => Assert.True(watch.Sink.Has(id)));

        running.ForEach(watch.Sink.End);
        await watch.UntilAsync(() => watch.Sink.Count == 0, "the rest is forgotten once ended");

        var again = watch.Drop(Name(7));
        await watch.UntilAsync(() => watch.Sink.Has(again), "a new file of a forgotten name has an order");
        Assert.Equal((2, 2), watch.Sink.Of(again));
    }

    [Fact]
    public async Task A_change_notification_brings_the_order_before_any_rescan()
    {
        // The clock cannot reach the rescan within the test's deadline: only a notification can bring the order.
        await using var watch = new WatchHarness(spec => spec with { Rescan = TimeSpan.FromDays(1) });
        watch.Start();
        await watch.FirstPassAsync();
        var id = watch.Drop("late.csv");
        await watch.UntilAsync(() => watch.Sink.Has(id), "the notified file has an order");
    }

    [Fact]
    public async Task Hidden_files_count_and_directories_and_other_names_do_not()
    {
        await using var watch = new WatchHarness();
        var hidden = watch.Drop(".hidden.csv");
        var plain = watch.Drop("plain.csv");
        watch.Drop("notes.txt");
        watch.Drop("plain.csv.part");
        Directory.CreateDirectory(Path.Join(watch.Directory, "folder.csv"));
        watch.Start();

        await watch.UntilAsync(() => watch.Sink.Count >= 2, "the matching files have orders");
        await watch.PassesAsync(2, "the watch has looked again");
        Assert.Equal(2, watch.Sink.Count);
        Assert.True(watch.Sink.Has(hidden) && watch.Sink.Has(plain));
    }

    [Fact]
    public async Task A_missing_directory_is_reported_once_and_watched_once_it_exists()
    {
        await using var watch = new WatchHarness(subdirectory: "later");
        watch.Start();
        await watch.PassesAsync(3, "the watch has looked for the directory a few times");
        Directory.CreateDirectory(watch.Directory);
        var id = watch.Drop("a.csv");

        await watch.UntilAsync(() => watch.Sink.Has(id), "the file in the new directory has an order");
        Assert.Equal(1, watch.Log.Count("does not exist"));
        Assert.Equal(1, watch.Log.Count("can be listed again"));
    }

    [Fact]
    public async Task Sink_failures_are_logged_once_and_retried_until_every_file_has_its_order()
    {
        await using var watch = new WatchHarness();
        var ids = Enumerable.Range(0, 20).Select(i => watch.Drop(Name(i))).ToList();
        watch.Sink.Down = true;
        watch.Start();
        await watch.PassesAsync(3, "the watch has tried a few times");
        Assert.Equal(0, watch.Sink.Count);

        watch.Sink.Down = false;
        await watch.UntilAsync(() => watch.Sink.Count == ids.Count, "every file has an order once the sink works");
        Assert.All(ids, id => Assert.Equal(1, watch.Sink.Of(id).Created));
        Assert.Equal(1, watch.Log.Count("trying again at the next pass"));
        Assert.Equal(1, watch.Log.Count("can be read and written again"));
    }

    [Fact]
    public async Task A_runner_runs_once_at_a_time()
    {
        await using var watch = new WatchHarness();
        var runner = watch.Start();
        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(CancellationToken.None));
    }
}
