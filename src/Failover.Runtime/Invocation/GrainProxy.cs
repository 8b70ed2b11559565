using System.Reflection;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Invocation;

/// <summary>
/// The grain reference behind <see cref="IGrainFactory.GetGrain{T}"/>. A DispatchProxy was chosen over a source
/// generator: the benchmark shows its overhead per call is small next to the mailbox hop (see the README).
/// </summary>
public class GrainProxy : DispatchProxy
{
    private IGrainCallInvoker? _invoker;

    public GrainId GrainId { get; private set; }

    internal static T Create<T>(GrainId grainId, IGrainCallInvoker invoker)
        where T : IGrain
    {
        var proxy = DispatchProxy.Create<T, GrainProxy>();
        var self = (GrainProxy)(object)proxy;
        self.GrainId = grainId;
        self._invoker = invoker;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return GrainMethod.For(targetMethod).StartCall(_invoker!, GrainId, args ?? []);
    }
}
