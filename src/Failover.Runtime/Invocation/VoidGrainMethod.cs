using System.Reflection;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Invocation;

internal sealed class VoidGrainMethod(MethodInfo method, Func<object, object?[], ValueTask> invoke) : GrainMethod(method)
{
    public ValueTask Invoke(object grain, object?[] arguments) => invoke(grain, arguments);

    public override async Task<System.Text.Json.JsonElement?> InvokeForRemoteAsync(IGrainCallInvoker local, GrainId target, object?[] arguments, CallSerializer serializer)
    {
        await local.InvokeAsync(target, this, arguments);
        return null;
    }

    public override object StartCall(IGrainCallInvoker invoker, GrainId target, object?[] arguments)
    {
        var task = invoker.InvokeAsync(target, this, arguments);
        return Method.ReturnType == typeof(Task) ? task : new ValueTask(task);
    }
}
