using Failover.Storage.Grains;
using Failover.Storage.Invocation;

namespace Failover.Benchmarks;

/// <summary>What a source generator would emit for IPingGrain: the yardstick the DispatchProxy is measured against.</summary>
internal sealed class HandWrittenPingProxy(GrainId grainId, IGrainCallInvoker invoker) : IPingGrain
{
    private static readonly TypedGrainMethod<int> s_ping =
        (TypedGrainMethod<int>)GrainMethod.For(typeof(IPingGrain).GetMethod(nameof(IPingGrain.Ping))!);

    public Task<int> Ping(int value) => invoker.InvokeAsync(grainId, s_ping, [value]);
}
