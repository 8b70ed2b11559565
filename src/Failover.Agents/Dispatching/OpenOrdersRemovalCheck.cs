using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Failover.Storage.Records;

namespace Failover.Agents.Dispatching;

/// <summary>An agent cluster that a new topology removes cuts off the open (Pending or Processing) orders of its dispatchers.</summary>
public sealed class OpenOrdersRemovalCheck(IRecordStore records) : ITopologyRemovalCheck
{
    private static readonly IReadOnlyList<string> OpenStates = [nameof(OrderState.Pending), nameof(OrderState.Processing)];

    /// <summary>How many open orders of one dispatcher are read to count and name them.</summary>
    private const int ReadLimit = 1000;

    public async Task<IReadOnlyList<string>> FindCutOffWorkAsync(TopologyDocument current, TopologyDocument next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        var orders = new OrderStore(records);
        var lines = new List<string>();
        foreach (var removed in current.AgentClusters.Where(a => next.FindAgentCluster(a.Id) is null))
        {
            var open = new List<OrderRecord>();
            foreach (var key in DispatcherKeys.OfAgent(current, removed.Id))
            {
                open.AddRange(await orders.QueryAsync(new RecordQuery { Partition = key, Statuses = OpenStates, Limit = ReadLimit }, cancellationToken));
            }

            if (open.Count > 0)
            {
                var running = open.Count(o => o.State == OrderState.Processing);
                var names = string.Join(", ", open.Select(o => o.Id).Order(StringComparer.Ordinal).Take(5)) + (open.Count > 5 ? ", ..." : "");
                lines.Add($"agent cluster {removed.Id} is removed but has {running} running and {open.Count - running} pending order(s) ({names})");
            }
        }

        return lines;
    }
}
