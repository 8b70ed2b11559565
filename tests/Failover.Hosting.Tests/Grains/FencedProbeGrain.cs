using Failover.Hosting.Directory;
using Orleans.GrainDirectory;
using Orleans.Placement;

namespace Failover.Hosting.Tests.Grains;

/// <summary>Where a fenced grain's activation runs, and the epoch the fenced directory granted it.</summary>
[GenerateSerializer]
[Immutable]
public sealed record ActivationInfo(string Node, SiloAddress Silo, ActivationId Activation, long Epoch);

public sealed class Ledger
{
    public List<string> Entries { get; set; } = [];
}

public interface IFencedProbeGrain : IGrainWithStringKey
{
    Task<ActivationInfo> Where();

    /// <summary>Appends to the ledger and writes it to fenced storage; returns how many entries it holds.</summary>
    Task<int> Append(string entry);
}

/// <summary>
/// A witness-like grain: single activation through the fenced directory, state in fenced storage. It prefers the silo
/// that calls it, so two silos calling a new one at once both start an activation and race for the claim
/// (<see cref="RaceGate"/> makes sure they do).
/// </summary>
[GrainDirectory(Fenced.Directory)]
[PreferLocalPlacement]
public sealed class FencedProbeGrain : Grain, IFencedProbeGrain
{
    private readonly LocalSilo silo;
    private readonly FencingTokens tokens;
    private readonly IPersistentState<Ledger> ledger;

    public FencedProbeGrain(LocalSilo silo, FencingTokens tokens, RaceGate gate, [PersistentState("ledger", Fenced.Storage)] IPersistentState<Ledger> ledger)
    {
        this.silo = silo;
        this.tokens = tokens;
        this.ledger = ledger;
        gate.Arrive(this.GetPrimaryKeyString());
    }

    public Task<ActivationInfo> Where() =>
        Task.FromResult(new ActivationInfo(silo.NodeName, silo.Address, GrainContext.ActivationId, tokens.EpochOf(this.GetGrainId())));

    public async Task<int> Append(string entry)
    {
        // It stays active after a refused write (a witness would deactivate), so a test can knock on it again.
        ledger.State.Entries.Add(entry);
        await ledger.WriteStateAsync();
        return ledger.State.Entries.Count;
    }
}

public interface IUnclaimedWriterGrain : IGrainWithStringKey
{
    Task Append(string entry);
}

/// <summary>Keeps its state in fenced storage but lives in Orleans' default directory: it holds no claim to write with.</summary>
public sealed class UnclaimedWriterGrain([PersistentState("ledger", Fenced.Storage)] IPersistentState<Ledger> ledger) : Grain, IUnclaimedWriterGrain
{
    public async Task Append(string entry)
    {
        ledger.State.Entries.Add(entry);
        await ledger.WriteStateAsync();
    }
}
