using Failover.Runtime.Grains;

namespace Failover.Runtime.Invocation;

/// <summary>Delivers a grain call to wherever the grain's activation lives.</summary>
internal interface IGrainCallInvoker
{
    Task InvokeAsync(GrainId target, VoidGrainMethod method, object?[] arguments);

    Task<T> InvokeAsync<T>(GrainId target, TypedGrainMethod<T> method, object?[] arguments);
}
