using Failover.Agents.FileWatches;
using Failover.Agents.Topology;
using Failover.Testing;

namespace Failover.Agents.Tests.FileWatches;

/// <summary>A file watch on a fresh temporary directory, with a manual clock and an in-memory sink.</summary>
internal sealed class WatchHarness : IAsyncDisposable
{
    /// <summary>How far the clock moves per poll while waiting; far below the delay, so files settle at their own pace.</summary>
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(500);

    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("failover-filewatch-");
    private CancellationTokenSource? _stop;
    private Task? _run;

    public WatchHarness(Func<FileWatchSpec, FileWatchSpec>? adjust = null, string? subdirectory = null)
    {
        Directory = subdirectory is null ? _root.FullName : Path.Join(_root.FullName, subdirectory);
        var spec = new FileWatchSpec { Id = "inbox", Agent = "agent-1", Directory = Directory, Pattern = "*.csv", Job = "import" };
        Spec = adjust is null ? spec : adjust(spec);
    }

    public string Directory { get; }

    public FileWatchSpec Spec { get; }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public MemoryFileOrderSink Sink { get; } = new();

    public ListLogger Log { get; } = new();

    public FileWatchRunner? Runner { get; private set; }

    /// <summary>Runs a new runner, as a newly active director would.</summary>
    public FileWatchRunner Start()
    {
        Runner = new FileWatchRunner(Spec, Sink, Time, Log);
        _stop = new CancellationTokenSource();
        _run = Runner.RunAsync(_stop.Token);
        return Runner;
    }

    public async Task StopAsync()
    {
        if (_stop is null || _run is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
        _stop = null;
        _run = null;
    }

    public string Drop(string name, string content = "a,b\n1,2\n")
    {
        File.WriteAllText(Path.Join(Directory, name), content);
        return FileOrderIds.Make(Spec.Id, name);
    }

    public void Delete(string name) => File.Delete(Path.Join(Directory, name));

    /// <summary>Moves the clock on at every poll until <paramref name="condition"/> holds.</summary>
    public Task UntilAsync(Func<bool> condition, string because) =>
        Eventually.True(
            () =>
            {
                Time.Advance(s_step);
                return condition();
            },
            because);

    /// <summary>Waits until the current runner has listed the directory once (its first pass may be done already).</summary>
    public Task FirstPassAsync()
    {
        var runner = Runner ?? throw new InvalidOperationException("not started");
        return UntilAsync(() => runner.CompletedPasses >= 1, "the first pass is done");
    }

    /// <summary>Waits until the current runner completed <paramref name="count"/> more passes.</summary>
    public Task PassesAsync(int count, string because)
    {
        var runner = Runner ?? throw new InvalidOperationException("not started");
        var target = runner.CompletedPasses + count;
        return UntilAsync(() => runner.CompletedPasses >= target, because);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _root.Delete(recursive: true);
    }
}
