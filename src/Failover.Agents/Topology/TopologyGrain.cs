using Orleans;
using Orleans.Runtime;
using Failover.Storage.Persistence;

namespace Failover.Agents.Topology;

public sealed class TopologyState
{
    public long Version { get; set; }

    public string Json { get; set; } = "";

    public string ContentHash { get; set; } = "";
}

/// <summary>Stores the topology (fenced, versioned); an identical document changes nothing.</summary>
[GrainType("topology")]
public sealed class TopologyGrain([PersistentState("topology")] IPersistentState<TopologyState> state) : Grain, ITopologyGrain
{
    public async Task<TopologyApplyResult> Apply(string json)
    {
        var document = TopologyParser.Parse(json);
        var current = state.State.Version == 0 ? TopologyDocument.Empty : TopologyParser.Parse(state.State.Json);
        if (state.State.Version > 0 && document.ContentHash == state.State.ContentHash)
        {
            return new TopologyApplyResult(false, state.State.Version, []);
        }

        var changes = TopologyDiff.Describe(current, document);
        state.State = new TopologyState { Version = state.State.Version + 1, Json = document.ToCanonicalJson(), ContentHash = document.ContentHash };
        await state.WriteStateAsync();
        return new TopologyApplyResult(true, state.State.Version, changes);
    }

    public Task<TopologySnapshot?> GetIfNewer(long knownVersion) =>
        Task.FromResult(state.State.Version > knownVersion
            ? new TopologySnapshot(state.State.Version, state.State.Json, state.State.ContentHash)
            : null);
}
