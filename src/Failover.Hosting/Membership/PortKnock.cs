using System.Net;
using System.Net.Sockets;

namespace Failover.Hosting.Membership;

/// <summary>One TCP connection attempt that is closed at once: whether anything listens on a port.</summary>
public static class PortKnock
{
    public static async Task<PortAnswer> KnockAsync(IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token);
            return PortAnswer.Accepted;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return PortAnswer.Refused;
        }
        catch (SocketException)
        {
            return PortAnswer.Unknown;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return PortAnswer.Unknown;
        }
    }
}
