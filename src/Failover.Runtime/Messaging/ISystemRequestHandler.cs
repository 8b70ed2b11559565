using System.Text.Json;

namespace Failover.Runtime.Messaging;

/// <summary>
/// Answers node-to-node requests that are not grain calls (e.g. peer heartbeats of failover agent pairs). A request
/// whose <see cref="Message.Method"/> equals <see cref="Method"/> goes to this handler instead of a grain; it arrives
/// from silos and clients alike (the handler authenticates what it needs to) and runs whether or not the silo holds
/// its lease. Register with <c>services.AddSingleton&lt;ISystemRequestHandler, T&gt;()</c>.
/// </summary>
public interface ISystemRequestHandler
{
    /// <summary>The reserved method name; starts with <see cref="SystemRequests.Prefix"/>.</summary>
    string Method { get; }

    /// <returns>The response body (may be null). An exception becomes an Exception response for the caller.</returns>
    ValueTask<JsonElement?> HandleAsync(JsonElement? body, RemotePeer from, CancellationToken cancellationToken);
}
