using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Networking.Shared;

namespace Failover.Hosting.Gateway;

/// <summary>
/// The socket transport of this silo's gateway port. Orleans' own gives each connection an output buffer without limit,
/// whose writes never wait: whatever a client does not read piles up in the silo. Kestrel's socket transport (ASP.NET
/// Core's, the design Orleans' was copied from) takes a limit, past which Orleans' writer waits; it takes Orleans' place
/// for the gateway only, under the key Orleans looks the gateway's transport up by.
/// </summary>
internal static class BoundedGatewayTransport
{
    private const string GatewayListener = "Orleans.Runtime.Messaging.GatewayConnectionListener";

    public static void Register(IServiceCollection services) =>
        services.AddKeyedSingleton<IConnectionListenerFactory>(GatewayListenerKey(), (provider, _) => Create(provider));

    // Orleans keeps the key internal (its test host swaps transports with it); without it, this silo would run unbounded.
    private static object GatewayListenerKey() =>
        typeof(SiloConnectionOptions).Assembly.GetType(GatewayListener)?
            .GetField("ServicesKey", BindingFlags.NonPublic | BindingFlags.Static)?
            .GetValue(null)
        ?? throw new InvalidOperationException($"{GatewayListener}.ServicesKey is missing from this Orleans version: the gateway's transport cannot be bounded");

    private static SocketTransportFactory Create(IServiceProvider services)
    {
        var limits = services.GetRequiredService<IOptions<GatewayConnectionOptions>>().Value;
        var sockets = services.GetRequiredService<IOptions<SocketConnectionOptions>>().Value;
        var messages = services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value;
        var transport = new SocketTransportOptions
        {
            MaxWriteBufferSize = limits.WriteBufferBytes,
            // A request is read whole before Orleans consumes any of it: a smaller limit would stall the largest ones for good.
            MaxReadBufferSize = (long)messages.MaxMessageHeaderSize + messages.MaxMessageBodySize,
            NoDelay = sockets.NoDelay,
            IOQueueCount = sockets.IOQueueCount,
            CreateBoundListenSocket = endpoint => ListenSocket(endpoint, sockets),
        };
        return new SocketTransportFactory(Options.Create(transport), services.GetRequiredService<ILoggerFactory>());
    }

    // Accepted sockets inherit the listening socket's keep-alive settings, as under Orleans' transport.
    private static Socket ListenSocket(EndPoint endpoint, SocketConnectionOptions options)
    {
        var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        if (options.KeepAlive)
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, options.KeepAliveTimeSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, options.KeepAliveIntervalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, options.KeepAliveRetryCount);
        }

        return socket;
    }
}
