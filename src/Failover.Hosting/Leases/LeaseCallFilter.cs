using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace Failover.Hosting.Leases;

/// <summary>
/// Holds calls to the product's grains while this silo's node lease is lapsed, until it is renewed or for one lease
/// timeout at most, then refuses them. Reminder ticks reach a grain as calls through this filter too, so they are held
/// the same way (a refused reminder tick comes again at its next period). Grain timer ticks pass: a tick refused here
/// never reaches the timer's callback, after which Orleans schedules the next one, so the timer would stop for good;
/// product timers hold themselves (<see cref="LeasedTimers"/>). System targets and Orleans' own grains pass, so the silo
/// keeps taking part in membership.
/// </summary>
internal sealed class LeaseCallFilter(NodeLease lease, ILocalSiloDetails silo) : IIncomingGrainCallFilter
{
    // Orleans' grain timers send their ticks to the grain as calls of this (internal) interface.
    private const string TimerTickInterface = "Orleans.Runtime.IGrainTimerInvoker";

    private static readonly ConcurrentDictionary<Type, bool> s_productGrains = new();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (!lease.IsHeld && !context.TargetId.IsSystemTarget() && !IsTimerTick(context) && IsProductGrain(context.TargetContext.GrainInstance?.GetType())
            && !await lease.WaitUntilHeldAsync(lease.Timeout, CancellationToken.None))
        {
            throw new NodeLeaseLapsedException(
                $"silo {silo.Name} ({silo.SiloAddress.ToParsableString()}) holds no node lease: it cannot reach the database, or it was paused; {context.InterfaceName}.{context.MethodName} was not run");
        }

        await context.Invoke();
    }

    private static bool IsTimerTick(IIncomingGrainCallContext context) => context.Request.GetInterfaceType()?.FullName == TimerTickInterface;

    private static bool IsProductGrain(Type? grainClass) =>
        grainClass is not null
        && s_productGrains.GetOrAdd(grainClass, static type => !(type.Assembly.GetName().Name ?? "").StartsWith("Orleans", StringComparison.Ordinal));
}
