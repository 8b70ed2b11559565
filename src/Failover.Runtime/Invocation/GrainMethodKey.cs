using System.Reflection;

namespace Failover.Runtime.Invocation;

/// <summary>
/// A method's name on the wire: declaring interface, method name and parameter types. Stable across processes
/// as long as the interface does not change, which is what both ends of a call must agree on anyway.
/// </summary>
internal static class GrainMethodKey
{
    public static string For(MethodInfo method) =>
        $"{method.DeclaringType!.FullName}::{method.Name}({string.Join(',', method.GetParameters().Select(p => p.ParameterType.FullName))})";
}
