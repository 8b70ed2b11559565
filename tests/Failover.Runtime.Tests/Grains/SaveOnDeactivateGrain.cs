using Failover.Runtime.Grains;
using Failover.Runtime.Persistence;

namespace Failover.Runtime.Tests.Grains;

public interface ISaveOnDeactivateGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    Task Deactivate();
}

/// <summary>Keeps its count in memory and writes it only in a slow OnDeactivateAsync: a common pattern.</summary>
public sealed class SaveOnDeactivateGrain([PersistentState("count")] IPersistentState<CounterState> state) : Grain, ISaveOnDeactivateGrain
{
    public Task<int> Increment() => Task.FromResult(++state.State.Value);

    public Task<int> Get() => Task.FromResult(state.State.Value);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        await state.WriteStateAsync(cancellationToken);
    }
}
