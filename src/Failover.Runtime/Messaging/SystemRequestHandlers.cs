namespace Failover.Runtime.Messaging;

/// <summary>The registered <see cref="ISystemRequestHandler"/>s by method name; names must be unique and reserved.</summary>
internal sealed class SystemRequestHandlers
{
    private readonly Dictionary<string, ISystemRequestHandler> _handlers = new(StringComparer.Ordinal);

    public SystemRequestHandlers(IEnumerable<ISystemRequestHandler> handlers)
    {
        foreach (var handler in handlers)
        {
            if (!handler.Method.StartsWith(SystemRequests.Prefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"System request method '{handler.Method}' must start with '{SystemRequests.Prefix}'.");
            }

            if (!_handlers.TryAdd(handler.Method, handler))
            {
                throw new InvalidOperationException($"Two system request handlers for '{handler.Method}'.");
            }
        }
    }

    public bool TryGet(string? method, out ISystemRequestHandler handler)
    {
        handler = null!;
        return method is not null && _handlers.TryGetValue(method, out handler!);
    }
}
