using Failover.Agents.SiloControl;
using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;
using Failover.Hosting;
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
    ILoggerFactory loggerFactory) : TopologyFollower(topology)
{
    private readonly Dictionary<string, DirectorInstanceRunner> _runners = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggerFactory.CreateLogger<DirectorInstanceService>();

    /// <summary>Each instance stops acting, then tells its witness: a normal stop, or one with fail-over.</summary>
    protected override async Task StopAllAsync()
    {
        await Task.WhenAll(_runners.Values.Select(r => StopRunnerAsync(r, tellWitness: true)));
        _runners.Clear();
    }

    protected override async Task ReconcileAsync(TopologyDocument document)
    {
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

    private async Task StopRunnerAsync(DirectorInstanceRunner runner, bool tellWitness)
    {
        roles.Release(runner.Spec.Id);
        await runner.StopAsync(shutdown.FailOver, tellWitness);
        runner.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Director {Agent}/{Instance} runs on node {Node}")]
    private partial void LogDirectorStarted(string agent, string instance, string node);
}
