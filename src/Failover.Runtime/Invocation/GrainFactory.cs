using Failover.Runtime.Activation;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Invocation;

internal sealed class GrainFactory(GrainTypeRegistry registry, IGrainCallInvoker invoker) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var grainClass = registry.ForInterface(typeof(TGrainInterface));
        return GrainProxy.Create<TGrainInterface>(new GrainId(grainClass.TypeName, key), invoker);
    }
}
