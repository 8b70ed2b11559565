using System.Reflection;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Invocation;

internal sealed class TypedGrainMethod<T>(MethodInfo method, Func<object, object?[], ValueTask<T>> invoke) : GrainMethod(method)
{
    public ValueTask<T> Invoke(object grain, object?[] arguments) => invoke(grain, arguments);

    public override async Task<System.Text.Json.JsonElement?> InvokeForRemoteAsync(IGrainCallInvoker local, GrainId target, object?[] arguments, CallSerializer serializer) =>
        serializer.SerializeResult(await local.InvokeAsync(target, this, arguments));

    public override object StartCall(IGrainCallInvoker invoker, GrainId target, object?[] arguments)
    {
        var task = invoker.InvokeAsync(target, this, arguments);
        return Method.ReturnType == typeof(Task<T>) ? task : new ValueTask<T>(task);
    }
}
