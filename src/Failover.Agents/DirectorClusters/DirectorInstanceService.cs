using Failover.Agents.Hosting;
using Failover.Agents.Topology;
using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.DirectorClusters;

/// <summary>
/// Runs a director instance for every agent cluster that names this silo's node as a director, following topology
/// changes. On shutdown each instance stops acting, then tells its witness whether this is a normal stop
/// (ActiveShutDown, no fail-over) or a stop with fail-over (<c>silo stop --fail-over</c>).
/// </summary>
internal sealed partial class DirectorInstanceService(
    TopologyView topology,
    IGrainFactory grains,
    LocalSilo silo,
    SiloHealth health,
    DirectorRoles roles,
    ShutdownIntent shutdown,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IHostedLifecycleService, IDisposable
{
    private readonly Dictionary<string, DirectorInstanceRunner> _runners = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = loggerFactory.CreateLogger<DirectorInstanceService>();
    private bool _stopping;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After the silo's own StartedAsync (registration order): the silo is Active and can call its witness.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        topology.Changed += OnTopologyChanged;
        await ReconcileAsync(topology.Current);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs before the silo's own stopping (hosts stop lifecycle services in reverse order of registration), while
    /// the transport still carries the last message to the witness.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        topology.Changed -= OnTopologyChanged;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _stopping = true;
            await Task.WhenAll(_runners.Values.Select(r => StopRunnerAsync(r, tellWitness: true)));
            _runners.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private void OnTopologyChanged(TopologyDocument document) => _ = ReconcileAsync(document);

    private async Task ReconcileAsync(TopologyDocument document)
    {
        await _gate.WaitAsync();
        try
        {
            if (_stopping)
            {
                return;
            }

            var wanted = document.AgentClustersDirectedBy(silo.NodeName).ToDictionary(d => d.Cluster.Id, StringComparer.Ordinal);
            foreach (var (id, runner) in _runners.ToList())
            {
                if (!wanted.TryGetValue(id, out var role) || role.Instance != runner.Instance)
                {
                    // Left the topology, or this node changed sides: this instance is no longer a director here.
                    await StopRunnerAsync(runner, tellWitness: false);
                    _runners.Remove(id);
                }
                else
                {
                    runner.Spec = role.Cluster;
                }
            }

            foreach (var (id, role) in wanted)
            {
                if (_runners.ContainsKey(id))
                {
                    continue;
                }

                var runner = new DirectorInstanceRunner(role.Cluster, role.Instance, grains, silo, health, timeProvider, _logger);
                _runners[id] = runner;
                roles.Hold(id, role.Instance, runner.Lease);
                runner.Start();
                var name = role.Instance.ToName();
                LogDirectorStarted(id, name, silo.NodeName);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StopRunnerAsync(DirectorInstanceRunner runner, bool tellWitness)
    {
        roles.Release(runner.Spec.Id);
        await runner.StopAsync(shutdown.FailOver, tellWitness);
        runner.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Director {Agent}/{Instance} runs on node {Node}")]
    private partial void LogDirectorStarted(string agent, string instance, string node);
}
