using Orleans;
using Orleans.Runtime;
using Failover.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Failover.Hosting.Placement;

namespace Failover.Agents.SiloControl;

[GrainType(SiloControlPlacement.GrainType)]
[NodeRulePlacement]
public sealed partial class SiloControlGrain(
    LocalSilo silo, ShutdownIntent shutdown, IHostApplicationLifetime lifetime, ILogger<SiloControlGrain> logger) : Grain, ISiloControlGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        this.GetPrimaryKeyString() == silo.NodeName
            ? Task.CompletedTask
            : throw new InvalidOperationException($"node '{this.GetPrimaryKeyString()}' has no Active silo");

    public Task<string> Stop(bool failOver)
    {
        if (failOver)
        {
            shutdown.RequestFailOver();
        }

        LogStopRequested(silo.NodeName, failOver);
        lifetime.StopApplication();
        DeactivateOnIdle();
        return Task.FromResult($"silo {silo.Incarnation} on node {silo.NodeName} is stopping{(failOver ? " with fail-over" : "")}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stop of node {Node} requested by an operator (fail-over: {FailOver})")]
    private partial void LogStopRequested(string node, bool failOver);
}
