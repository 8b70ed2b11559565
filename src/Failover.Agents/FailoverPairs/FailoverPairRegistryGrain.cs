using Orleans;
using Orleans.Runtime;
using Failover.Storage.Persistence;

namespace Failover.Agents.FailoverPairs;

public sealed class FailoverPairRegistryState
{
    public List<string> Identities { get; set; } = [];
}

/// <summary>Keeps the identities of the cluster's pairs, durably.</summary>
public sealed class FailoverPairRegistryGrain([PersistentState("pairs")] IPersistentState<FailoverPairRegistryState> state)
    : Grain, IFailoverPairRegistryGrain
{
    public async Task Register(string identity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        if (!state.State.Identities.Contains(identity, StringComparer.Ordinal))
        {
            state.State.Identities.Add(identity);
            state.State.Identities.Sort(StringComparer.Ordinal);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Identities]);
}
