using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Failover.Runtime.Configuration;
using Failover.Runtime.Messaging;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// The connection to the peer's silo at <c>remote_vip</c>, whatever its generation (a client-role connection, so it
/// works even when this node's membership holds the peer Dead). Reconnects on the next heartbeat after a failure.
/// </summary>
internal sealed class PeerLink(FailoverAgentConfig config, string clusterId, MessagingOptions messaging, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly string _clientId = $"failover-pair-{config.AgentVipIdentity}-{Guid.NewGuid():N}";
    private GatewayConnection? _connection;

    /// <summary>Sends <paramref name="request"/> and returns the peer's answer (not yet verified).</summary>
    public async Task<PeerHeartbeat> ExchangeAsync(PeerHeartbeat request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(timeout, cancellationToken);
        try
        {
            var body = JsonSerializer.SerializeToElement(request, PairJsonContext.Default.PeerHeartbeat);
            var answer = await SystemRequests.SendAsync(connection, PeerHeartbeat.Method, body, timeout, cancellationToken);
            return answer?.Deserialize(PairJsonContext.Default.PeerHeartbeat) ?? throw new JsonException("empty heartbeat answer");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await DropAsync(connection);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await DropAsync(connection);
        }
    }

    private async Task<GatewayConnection> ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_connection is { Closed.IsCompleted: false } open)
        {
            return open;
        }

        if (_connection is { } closed)
        {
            await DropAsync(closed);
        }

        var endPoint = IPAddress.TryParse(config.RemoteHost, out var address)
            ? new IPEndPoint(address, config.RemotePort)
            : new IPEndPoint((await Dns.GetHostAddressesAsync(config.RemoteHost, AddressFamily.InterNetwork, cancellationToken))[0], config.RemotePort);
        var options = new MessagingOptions
        {
            MaxFrameBytes = messaging.MaxFrameBytes,
            ConnectTimeout = timeout < messaging.ConnectTimeout ? timeout : messaging.ConnectTimeout,
            HandshakeTimeout = timeout < messaging.HandshakeTimeout ? timeout : messaging.HandshakeTimeout,
            ConnectionsPerSilo = messaging.ConnectionsPerSilo,
        };
        _connection = await GatewayConnection.ConnectAsync(endPoint, clusterId, _clientId, options, loggerFactory, cancellationToken);
        return _connection;
    }

    private async Task DropAsync(GatewayConnection connection)
    {
        if (ReferenceEquals(Interlocked.CompareExchange(ref _connection, null, connection), connection))
        {
            await connection.DisposeAsync();
        }
    }
}
