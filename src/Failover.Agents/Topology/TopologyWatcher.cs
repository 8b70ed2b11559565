using Orleans;
using Orleans.Runtime;
using Failover.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Agents.Topology;

/// <summary>Polls the topology grain and updates this silo's <see cref="TopologyView"/>: roles follow without a restart.</summary>
internal sealed partial class TopologyWatcher(
    IGrainFactory grains,
    TopologyView view,
    SiloHealth health,
    IOptions<TopologyWatchOptions> options,
    TimeProvider timeProvider,
    ILogger<TopologyWatcher> logger) : BackgroundService
{
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (health.HoldsLease)
            {
                await RefreshAsync(stoppingToken);
            }

            try
            {
                // Until the silo is Active, look again soon; then at the configured pace.
                var pause = health.HoldsLease ? options.Value.Refresh : TimeSpan.FromMilliseconds(50);
                await Task.Delay(pause, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            var snapshot = await grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key).GetIfNewer(view.Version).WaitAsync(stoppingToken);
            _failing = false;
            if (snapshot is null)
            {
                return;
            }

            if (view.Update(snapshot.Version, TopologyParser.Parse(snapshot.Json)))
            {
                LogTopology(snapshot.Version, snapshot.ContentHash[..12]);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            if (!_failing)
            {
                _failing = true;
                LogRefreshFailed(exception.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topology version {Version} ({Hash}) in effect")]
    private partial void LogTopology(long version, string hash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the topology yet: {Reason}")]
    private partial void LogRefreshFailed(string reason);
}
