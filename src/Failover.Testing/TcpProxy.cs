using System.Net;
using System.Net.Sockets;

namespace Failover.Testing;

/// <summary>
/// A loopback TCP forwarder in front of a server (a database, say) that a test can cut: <see cref="Disconnect"/> drops
/// every connection and refuses new ones, <see cref="Reconnect"/> listens again on the same port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly List<Socket> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;
    private Task? _acceptLoop;

    public TcpProxy(IPEndPoint target)
    {
        _target = target;
        Port = FreePorts.Next();
        Reconnect();
    }

    public int Port { get; }

    public bool IsConnected => _listener is not null;

    public void Reconnect()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            _listener = new TcpListener(IPAddress.Loopback, Port);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start();
            _accepting = new CancellationTokenSource();
            _acceptLoop = AcceptAsync(_listener, _accepting.Token);
        }
    }

    /// <summary>Stops listening and resets every forwarded connection, as an unreachable server looks to clients.</summary>
    public void Disconnect()
    {
        lock (_gate)
        {
            _accepting?.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var socket in _open)
            {
                socket.Close(0);
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Disconnect();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        _accepting?.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptSocketAsync(cancellationToken);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await server.ConnectAsync(_target, cancellationToken);
                }
                catch (SocketException)
                {
                    client.Close(0);
                    server.Dispose();
                    continue;
                }

                lock (_gate)
                {
                    _open.Add(client);
                    _open.Add(server);
                }

                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Close(0);
            to.Close(0);
        }
    }
}
