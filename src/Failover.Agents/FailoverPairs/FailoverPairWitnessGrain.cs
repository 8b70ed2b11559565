using Orleans;
using Orleans.Runtime;
using Failover.Hosting.Directory;
using Failover.Hosting.Placement;
using Orleans.GrainDirectory;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// The thin shell around <see cref="PairWitness"/>: in memory only, so a new activation starts fresh — with its own
/// monotonic clock (<see cref="PairClock"/>), the only clock it compares the ages of reports on.
/// </summary>
[GrainType(GrainType)]
[NodeRulePlacement]
[GrainDirectory(Fenced.Directory)]
public sealed class FailoverPairWitnessGrain(TimeProvider time) : Grain, IFailoverPairWitnessGrain
{
    public const string GrainType = "failover-pair-witness";

    private PairWitness _witness = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _witness = new PairWitness(PairClock.Now(time));
        return Task.CompletedTask;
    }

    public Task<WitnessVerdict> Heartbeat(WitnessReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Identity != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"a heartbeat for pair '{report.Identity}' reached the witness of '{this.GetPrimaryKeyString()}'", nameof(report));
        }

        DelayDeactivation(TimeSpan.FromHours(1));
        return Task.FromResult(_witness.Heartbeat(report, PairClock.Now(time)));
    }

    public Task<FailoverPairStatus> GetStatus() => Task.FromResult(PairStatusBuilder.Build(this.GetPrimaryKeyString(), _witness, PairClock.Now(time)));
}
