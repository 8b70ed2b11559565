using Orleans;
using Orleans.Runtime;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Storage.Persistence;
using Failover.Storage.Records;

namespace Failover.Agents.Topology;

public sealed class TopologyState
{
    public long Version { get; set; }

    public string Json { get; set; } = "";

    public string ContentHash { get; set; } = "";
}

/// <summary>
/// Stores the topology (fenced, versioned); an identical document changes nothing. Removing an agent cluster whose
/// dispatchers hold open orders needs <c>force</c>.
/// </summary>
[GrainType("topology")]
public sealed class TopologyGrain([PersistentState("topology")] IPersistentState<TopologyState> state, IRecordStore records) : Grain, ITopologyGrain
{
    private static readonly IReadOnlyList<string> OpenStates = [nameof(OrderState.Pending), nameof(OrderState.Processing)];

    public Task<TopologyApplyResult> Apply(string json) => Apply(json, force: false);

    public async Task<TopologyApplyResult> Apply(string json, bool force)
    {
        var document = TopologyParser.Parse(json);
        var current = state.State.Version == 0 ? TopologyDocument.Empty : TopologyParser.Parse(state.State.Json);
        if (state.State.Version > 0 && document.ContentHash == state.State.ContentHash)
        {
            return new TopologyApplyResult(false, state.State.Version, []);
        }

        var busy = await RemovedWithOpenOrdersAsync(current, document);
        if (busy.Count > 0 && !force)
        {
            return new TopologyApplyResult(false, state.State.Version, [], string.Join("; ", busy) + "; apply with --force to remove anyway (those orders fail)");
        }

        var changes = TopologyDiff.Describe(current, document);
        state.State = new TopologyState { Version = state.State.Version + 1, Json = document.ToCanonicalJson(), ContentHash = document.ContentHash };
        await state.WriteStateAsync();
        return new TopologyApplyResult(true, state.State.Version, [.. changes, .. busy.Select(b => $"forced: {b}")]);
    }

    public Task<TopologySnapshot?> GetIfNewer(long knownVersion) =>
        Task.FromResult(state.State.Version > knownVersion
            ? new TopologySnapshot(state.State.Version, state.State.Json, state.State.ContentHash)
            : null);

    /// <summary>One line per agent cluster the new topology removes while its dispatchers hold open orders.</summary>
    private async Task<IReadOnlyList<string>> RemovedWithOpenOrdersAsync(TopologyDocument current, TopologyDocument next)
    {
        var orders = new OrderStore(records);
        var lines = new List<string>();
        foreach (var removed in current.AgentClusters.Where(a => next.FindAgentCluster(a.Id) is null))
        {
            var open = new List<OrderRecord>();
            foreach (var key in DispatcherKeys.OfAgent(current, removed.Id))
            {
                open.AddRange(await orders.QueryAsync(new RecordQuery { Partition = key, Statuses = OpenStates, Limit = 1000 }, CancellationToken.None));
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
