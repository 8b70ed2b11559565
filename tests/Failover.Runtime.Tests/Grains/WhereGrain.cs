using Failover.Runtime.Directory;
using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Failover.Runtime.Persistence;

namespace Failover.Runtime.Tests.Grains;

public sealed record Whereabouts(string Node, long Epoch, int Count);

public interface IWhereGrain : IGrainWithStringKey
{
    /// <summary>Counts the call durably and says which node ran it, under which directory epoch.</summary>
    Task<Whereabouts> Touch();

    Task<Whereabouts> Peek();
}

public sealed class WhereGrain(
    LocalSilo silo,
    IGrainDirectoryTable directory,
    [PersistentState("where")] IPersistentState<CounterState> state) : Grain, IWhereGrain
{
    private long _epoch;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _epoch = (await directory.LookupAsync(GrainId, cancellationToken))!.Epoch;

    public async Task<Whereabouts> Touch()
    {
        state.State.Value++;
        state.State.Notes.Add(silo.NodeName);
        await state.WriteStateAsync();
        return await Peek();
    }

    public Task<Whereabouts> Peek() => Task.FromResult(new Whereabouts(silo.NodeName, _epoch, state.State.Value));
}
