using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace Failover.Hosting.Leases;

/// <summary>
/// Holds calls to the product's grains while this silo's node lease is lapsed, until it is renewed or for one lease
/// timeout at most, then refuses them. Grain timer and reminder ticks reach a grain as calls through this filter too,
/// so they are held the same way. System targets and Orleans' own grains pass, so the silo keeps taking part in
/// membership.
/// </summary>
internal sealed class LeaseCallFilter(NodeLease lease, ILocalSiloDetails silo) : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<Type, bool> s_productGrains = new();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (!lease.IsHeld && !context.TargetId.IsSystemTarget() && IsProductGrain(context.TargetContext.GrainInstance?.GetType())
            && !await lease.WaitUntilHeldAsync(lease.Timeout, CancellationToken.None))
        {
            throw new NodeLeaseLapsedException(
                $"silo {silo.Name} ({silo.SiloAddress.ToParsableString()}) holds no node lease: it cannot reach the database, or it was paused; {context.InterfaceName}.{context.MethodName} was not run");
        }

        await context.Invoke();
    }

    private static bool IsProductGrain(Type? grainClass) =>
        grainClass is not null
        && s_productGrains.GetOrAdd(grainClass, static type => !(type.Assembly.GetName().Name ?? "").StartsWith("Orleans", StringComparison.Ordinal));
}
