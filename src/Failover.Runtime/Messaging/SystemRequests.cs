using System.Text.Json;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Messaging;

/// <summary>
/// Sending a system request (see <see cref="ISystemRequestHandler"/>) to the silo at an endpoint, whatever its
/// generation: over a <see cref="GatewayConnection"/>, so it reaches even a silo this node's membership holds Dead.
/// </summary>
public static class SystemRequests
{
    /// <summary>Every system method name starts with this; no grain method key can.</summary>
    public const string Prefix = "system:";

    /// <summary>Sends <paramref name="body"/> to <paramref name="method"/> and returns the response body.</summary>
    /// <exception cref="SiloUnavailableException">The connection dropped or the silo is stopping.</exception>
    /// <exception cref="GrainCallTimeoutException">No response within <paramref name="timeout"/>.</exception>
    /// <exception cref="GrainCallException">The silo has no such handler, or the handler failed.</exception>
    public static async Task<JsonElement?> SendAsync(
        GatewayConnection connection, string method, JsonElement? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(method);
        var response = await connection.SendRequestAsync(new Message { Method = method, Body = body }, timeout, cancellationToken);
        return response.Status switch
        {
            ResponseStatus.Ok => response.Body,
            ResponseStatus.SiloUnavailable => throw new SiloUnavailableException($"Silo {connection.Silo} did not run {method}: {response.ExceptionMessage}"),
            _ => throw new GrainCallException($"Silo {connection.Silo} answered {method} with {response.Status}: {response.ExceptionMessage}"),
        };
    }
}
