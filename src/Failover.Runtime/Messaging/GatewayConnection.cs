using System.ComponentModel.DataAnnotations;
using System.Net;
using Failover.Runtime.Configuration;
using Failover.Runtime.Grains;
using Failover.Runtime.Membership;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Messaging;

/// <summary>A client's connection to one gateway silo: multiplexed calls over one long-lived TCP connection.</summary>
public sealed class GatewayConnection : IAsyncDisposable
{
    private readonly Connection _connection;
    private readonly SocketConnectionContextFactory _factory;

    private GatewayConnection(Connection connection, SocketConnectionContextFactory factory, SiloAddress silo)
    {
        _connection = connection;
        _factory = factory;
        Silo = silo;
    }

    /// <summary>The gateway silo incarnation that answered the handshake.</summary>
    public SiloAddress Silo { get; }

    /// <summary>Completes when the connection has dropped or was disposed.</summary>
    public Task Closed => _connection.Closed;

    /// <summary>
    /// Connects and handshakes as a client. Throws <see cref="SiloUnavailableException"/> when the gateway cannot be
    /// reached or refuses the handshake (another cluster, another protocol version).
    /// </summary>
    public static async Task<GatewayConnection> ConnectAsync(
        IPEndPoint gateway,
        string clusterId,
        string clientId,
        MessagingOptions options,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var logger = loggerFactory.CreateLogger<GatewayConnection>();
        var factory = SocketSettings.CreateConnectionFactory(options, logger);
        ConnectionContext? context = null;
        try
        {
            context = await SocketConnector.ConnectAsync(gateway, options.ConnectTimeout, TimeProvider.System, factory, cancellationToken);
            var silo = await ClientHandshake.RunAsync(
                context, Handshakes.ForClient(clusterId, clientId), clusterId, options, TimeProvider.System, cancellationToken);
            var settings = new ConnectionSettings(options.MaxFrameBytes, logger, Handler: null, LocalSender: static () => null, Blocklist: null);
            var peer = new RemotePeer(HandshakeRole.Silo, silo.ToString(), ClientId: null, gateway.ToString());
            var connection = new Connection(context, settings, peer, $"gateway silo {silo}", blockKey: null, onClosed: null);
            connection.Start();
            return new GatewayConnection(connection, factory, silo);
        }
        catch (Exception exception)
        {
            if (context is not null)
            {
                context.Abort();
                await context.DisposeAsync();
            }

            factory.Dispose();
            if (exception is ConnectException connectFailure)
            {
                throw new SiloUnavailableException($"Gateway {gateway} is unavailable: {connectFailure.Message}.", connectFailure);
            }

            throw;
        }
    }

    /// <summary>
    /// Sends a request and awaits its response (whatever its status). Sets <see cref="Message.Kind"/> and
    /// <see cref="Message.TimeoutMs"/>; <see cref="Message.TargetSilo"/> is left as the caller set it.
    /// </summary>
    /// <exception cref="SiloUnavailableException">The connection dropped before the response arrived.</exception>
    /// <exception cref="GrainCallTimeoutException">No response within <paramref name="timeout"/>.</exception>
    public async Task<Message> SendRequestAsync(Message request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CallTimeouts.Validate(timeout);
        request.Kind = MessageKind.Request;
        request.TimeoutMs = CallTimeouts.ToMilliseconds(timeout);
        try
        {
            return await _connection.CallAsync(request, timeout, TimeProvider.System, cancellationToken);
        }
        catch (TimeoutException exception) when (exception is not GrainCallTimeoutException)
        {
            throw new GrainCallTimeoutException(
                $"Call {request.Method} on {request.Target} through gateway {Silo} did not complete within {CallTimeouts.Describe(timeout)}.", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _factory.Dispose();
    }
}
