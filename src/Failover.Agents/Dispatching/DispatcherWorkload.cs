using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;

namespace Failover.Agents.Dispatching;

/// <summary>The switch-over prerequisite: how many orders run on a node's subagents, summed over the agent's dispatchers.</summary>
internal sealed class DispatcherWorkload(TopologyView topology, IGrainFactory grains) : IDirectorWorkload
{
    public async Task<int> RunningTasksOnNodeAsync(string agentId, string node, CancellationToken cancellationToken)
    {
        var counts = await Task.WhenAll(DispatcherKeys.OfAgent(topology.Current, agentId)
            .Select(key => grains.GetGrain<IJobDispatcherGrain>(key).RunningOn(node).WaitAsync(cancellationToken)));
        return counts.Sum();
    }
}
