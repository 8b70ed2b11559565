using Microsoft.Extensions.Hosting;

namespace Failover.Agents.Topology;

/// <summary>
/// A silo service that keeps something per topology entry running on this node (director instances, subagents):
/// it reconciles once the silo is Active (it calls grains) and on every topology change, one reconcile at a time,
/// and stops everything in <c>StoppingAsync</c>, before the silo's own stopping (hosts stop lifecycle services in
/// reverse order of registration), while the transport still carries last messages.
/// </summary>
internal abstract class TopologyFollower(TopologyView topology) : IHostedLifecycleService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _stopping;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the silo's own StartedAsync (registration order): the silo is Active.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        topology.Changed += OnTopologyChanged;
        await FollowAsync(topology.Current);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        topology.Changed -= OnTopologyChanged;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _stopping = true;
            await StopAllAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Brings what runs here in line with <paramref name="document"/>; never concurrent with itself or <see cref="StopAllAsync"/>.</summary>
    protected abstract Task ReconcileAsync(TopologyDocument document);

    /// <summary>The silo stops: stop everything (no reconcile follows).</summary>
    protected abstract Task StopAllAsync();

    private void OnTopologyChanged(TopologyDocument document) => _ = FollowAsync(document);

    private async Task FollowAsync(TopologyDocument document)
    {
        await _gate.WaitAsync();
        try
        {
            if (!_stopping)
            {
                await ReconcileAsync(document);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
