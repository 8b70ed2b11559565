using System.Reflection;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Invocation;

/// <summary>
/// Exceptions cross the wire as type name and message. The caller gets the same type back when it can load it
/// and build it from a message; otherwise a <see cref="GrainCallException"/> that names the original type.
/// </summary>
internal static class RemoteExceptions
{
    public static string TypeName(Exception exception)
    {
        var type = exception.GetType();
        return $"{type.FullName}, {type.Assembly.GetName().Name}";
    }

    public static Exception Rebuild(string? typeName, string? message)
    {
        message ??= "";
        var type = typeName is null ? null : Type.GetType(typeName, throwOnError: false);
        if (type is not null && typeof(Exception).IsAssignableFrom(type))
        {
            // (message, inner) first: for ArgumentException and friends the one-string constructor means something else.
            if (type.GetConstructor([typeof(string), typeof(Exception)]) is { } withInner)
            {
                return (Exception)withInner.Invoke([message, null]);
            }

            if (type.GetConstructor([typeof(string)]) is { } withMessage)
            {
                return (Exception)withMessage.Invoke([message]);
            }
        }

        return new GrainCallException(typeName ?? "unknown", message);
    }
}
