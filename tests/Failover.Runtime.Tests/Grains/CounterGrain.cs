using Failover.Runtime.Grains;
using Failover.Runtime.Persistence;
using Failover.Runtime.Tests.Infrastructure;

namespace Failover.Runtime.Tests.Grains;

public sealed class CounterState
{
    public int Value { get; set; }

    public List<string> Notes { get; set; } = [];
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment(string note);

    Task<int> Get();

    Task<string?> GetEtag();

    Task Clear();

    Task Deactivate();
}

public sealed class CounterGrain(
    [PersistentState("counter")] IPersistentState<CounterState> counter,
    GrainEventLog events) : Grain, ICounterGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        events.Add($"activate:{GetPrimaryKeyString()}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        events.Add($"deactivate:{GetPrimaryKeyString()}:{reason}");
        return Task.CompletedTask;
    }

    public async Task<int> Increment(string note)
    {
        counter.State.Value++;
        counter.State.Notes.Add(note);
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);

    public Task<string?> GetEtag() => Task.FromResult(counter.Etag);

    public Task Clear() => counter.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
