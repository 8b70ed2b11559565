using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Failover.Runtime.Invocation;

/// <summary>
/// A grain interface method, compiled once: how a proxy starts the call and how an activation invokes it.
/// Methods must return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.
/// </summary>
internal abstract class GrainMethod
{
    private static readonly ConcurrentDictionary<MethodInfo, GrainMethod> s_cache = new();

    protected GrainMethod(MethodInfo method)
    {
        Method = method;
        DisplayName = $"{method.DeclaringType!.Name}.{method.Name}";
        Key = GrainMethodKey.For(method);
    }

    public MethodInfo Method { get; }

    /// <summary>The method's name on the wire.</summary>
    public string Key { get; }

    public string DisplayName { get; }

    public static GrainMethod For(MethodInfo method) => s_cache.GetOrAdd(method, Create);

    /// <summary>Starts a call through <paramref name="invoker"/> and returns what the interface method returns.</summary>
    public abstract object StartCall(IGrainCallInvoker invoker, Grains.GrainId target, object?[] arguments);

    /// <summary>Runs a call that came from another silo or a client on <paramref name="local"/> and returns the result as JSON.</summary>
    public abstract Task<System.Text.Json.JsonElement?> InvokeForRemoteAsync(IGrainCallInvoker local, Grains.GrainId target, object?[] arguments, CallSerializer serializer);

    private static GrainMethod Create(MethodInfo method)
    {
        var returnType = method.ReturnType;
        if (returnType == typeof(Task) || returnType == typeof(ValueTask))
        {
            return new VoidGrainMethod(method, CompileVoid(method));
        }

        if (returnType.IsGenericType
            && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            var resultType = returnType.GetGenericArguments()[0];
            var create = typeof(GrainMethod).GetMethod(nameof(CreateTyped), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(resultType);
            return (GrainMethod)create.Invoke(null, [method])!;
        }

        throw new NotSupportedException(
            $"Grain method {method.DeclaringType?.Name}.{method.Name} returns {returnType.Name}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>.");
    }

    private static TypedGrainMethod<T> CreateTyped<T>(MethodInfo method) => new(method, CompileTyped<T>(method));

    // (grain, args) => ((IFoo)grain).Method((A0)args[0], ...), normalized to ValueTask / ValueTask<T>.
    private static Func<object, object?[], ValueTask> CompileVoid(MethodInfo method)
    {
        var (grain, args, call) = BuildCall(method);
        Expression body = method.ReturnType == typeof(Task)
            ? Expression.New(typeof(ValueTask).GetConstructor([typeof(Task)])!, call)
            : call;
        return Expression.Lambda<Func<object, object?[], ValueTask>>(body, grain, args).Compile();
    }

    private static Func<object, object?[], ValueTask<T>> CompileTyped<T>(MethodInfo method)
    {
        var (grain, args, call) = BuildCall(method);
        Expression body = method.ReturnType == typeof(Task<T>)
            ? Expression.New(typeof(ValueTask<T>).GetConstructor([typeof(Task<T>)])!, call)
            : call;
        return Expression.Lambda<Func<object, object?[], ValueTask<T>>>(body, grain, args).Compile();
    }

    private static (ParameterExpression Grain, ParameterExpression Args, MethodCallExpression Call) BuildCall(MethodInfo method)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters().Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        var call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, parameters);
        return (grain, args, call);
    }
}
