using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.FileWatches;

/// <summary>
/// Runs each file watch while this silo's director of the watch's agent acts as active, and stops it when it no longer
/// does. A new active starts with a full listing reconciled with the durable orders (see <see cref="FileWatchRunner"/>),
/// so after a fail-over or switch-over no file is missed or gets a second order.
/// </summary>
internal sealed partial class FileWatchService(
    DirectorRoles roles,
    TopologyView topology,
    IFileOrderSink sink,
    TimeProvider timeProvider,
    ILogger<FileWatchService> logger) : BackgroundService
{
    private static readonly TimeSpan LookPeriod = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, (FileWatchSpec Spec, CancellationTokenSource Stop, Task Run)> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var acting = roles.Acting().Select(a => a.Agent).ToHashSet(StringComparer.Ordinal);
                var wanted = topology.Current.FileWatches.Where(w => acting.Contains(w.Agent)).ToDictionary(w => w.Id, StringComparer.Ordinal);
                foreach (var (id, running) in _running.ToList())
                {
                    if (!wanted.TryGetValue(id, out var spec) || spec != running.Spec)
                    {
                        await StopAsync(id);
                    }
                }

                foreach (var (id, spec) in wanted.Where(w => !_running.ContainsKey(w.Key)))
                {
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    _running[id] = (spec, stop, new FileWatchRunner(spec, sink, timeProvider, logger).RunAsync(stop.Token));
                    LogWatching(id, spec.Directory, spec.Agent);
                }

                await Task.Delay(LookPeriod, timeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var id in _running.Keys.ToList())
            {
                await StopAsync(id);
            }
        }
    }

    private async Task StopAsync(string id)
    {
        var (_, stop, run) = _running[id];
        _running.Remove(id);
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
        LogStopped(id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "File watch {Watch} watches {Directory} for the active director of {Agent}")]
    private partial void LogWatching(string watch, string directory, string agent);

    [LoggerMessage(Level = LogLevel.Information, Message = "File watch {Watch} stopped")]
    private partial void LogStopped(string watch);
}
