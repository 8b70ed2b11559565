using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Failover.Runtime.Messaging;

/// <summary>
/// Opens an outgoing TCP connection and wraps the socket in a Kestrel <see cref="ConnectionContext"/>, so outgoing
/// connections run on the same pipe-based code as accepted ones.
/// </summary>
internal static class SocketConnector
{
    /// <summary>Throws <see cref="ConnectException"/> (Definite when refused) or OperationCanceledException.</summary>
    public static async Task<ConnectionContext> ConnectAsync(
        EndPoint endPoint,
        TimeSpan connectTimeout,
        TimeProvider timeProvider,
        SocketConnectionContextFactory factory,
        CancellationToken cancellationToken)
    {
        var socket = endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using var timeout = new CancellationTokenSource(connectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await socket.ConnectAsync(endPoint, linked.Token);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            var refused = exception.SocketErrorCode == SocketError.ConnectionRefused;
            throw new ConnectException(refused ? "the connection was refused" : $"connecting failed ({exception.SocketErrorCode})", refused, exception);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ConnectException($"connecting did not complete within {connectTimeout.TotalMilliseconds:0} ms", definite: false, exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return factory.Create(socket);
    }

    public static EndPoint EndPointOf(string host, int port) =>
        IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
}
