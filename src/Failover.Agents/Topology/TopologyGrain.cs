using Orleans;
using Orleans.Runtime;

namespace Failover.Agents.Topology;

public sealed class TopologyState
{
    public long Version { get; set; }

    public string Json { get; set; } = "";

    public string ContentHash { get; set; } = "";
}

/// <summary>
/// Stores the topology (fenced, versioned); an identical document changes nothing. A topology that cuts off work in
/// progress (<see cref="ITopologyRemovalCheck"/>: say, removes an agent cluster whose dispatchers hold open orders) needs
/// <c>force</c>.
/// </summary>
[GrainType("topology")]
public sealed class TopologyGrain([PersistentState("topology")] IPersistentState<TopologyState> state, ITopologyRemovalCheck removalCheck) : Grain, ITopologyGrain
{
    public Task<TopologyApplyResult> Apply(string json) => Apply(json, force: false);

    public async Task<TopologyApplyResult> Apply(string json, bool force)
    {
        var document = TopologyParser.Parse(json);
        var current = state.State.Version == 0 ? TopologyDocument.Empty : TopologyParser.Parse(state.State.Json);
        if (state.State.Version > 0 && document.ContentHash == state.State.ContentHash)
        {
            return new TopologyApplyResult(false, state.State.Version, []);
        }

        var busy = await removalCheck.FindCutOffWorkAsync(current, document, CancellationToken.None);
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
}
