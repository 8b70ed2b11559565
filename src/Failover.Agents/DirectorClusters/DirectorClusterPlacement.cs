using Failover.Agents.Topology;
using Failover.Hosting.Placement;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Failover.Agents.DirectorClusters;

/// <summary>
/// A director cluster's witness lives off its two director nodes whenever another silo is Active. A silo that has not
/// yet seen the apply that added the agent cluster reads the topology first: without its director nodes it would place
/// the witness anywhere, a director node included, and there the witness would stay.
/// </summary>
internal sealed partial class DirectorClusterPlacement(
    TopologyView topology, Func<CancellationToken, Task> catchUp, ILogger<DirectorClusterPlacement> logger) : AvoidNodesRule
{
    public const string GrainType = "director-cluster";

    public override bool Covers(GrainId grain) => grain.Type.ToString() == GrainType;

    protected override async ValueTask<IReadOnlyCollection<string>> NodesToAvoidAsync(GrainId grain, CancellationToken cancellationToken)
    {
        var agent = grain.Key.ToString()!;
        if (topology.Current.FindAgentCluster(agent) is null)
        {
            try
            {
                await catchUp(cancellationToken);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Placed without the rule, as before the apply: the witness's own activation then reports the agent
                // cluster it cannot find.
                LogCatchUpFailed(agent, exception.Message);
            }
        }

        return topology.Current.FindAgentCluster(agent) is { } spec ? [spec.PrimaryNode, spec.SecondaryNode] : [];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Placing the witness of agent cluster {AgentCluster}: this silo does not know it and could not read the topology ({Reason})")]
    private partial void LogCatchUpFailed(string agentCluster, string reason);
}
