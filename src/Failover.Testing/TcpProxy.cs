using System.Net;
using System.Net.Sockets;

namespace Failover.Testing;

/// <summary>
/// A loopback TCP forwarder in front of a server (a database, say) that a test can cut: <see cref="Disconnect"/> drops
/// every connection and refuses new ones, <see cref="Reconnect"/> listens again on the same port;
/// <see cref="StopReadingFromServer"/> makes its clients look, to the server, like clients that never read.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly IPEndPoint _listenOn;
    private readonly Lock _gate = new();
    private readonly List<Socket> _open = [];
    private readonly List<IPEndPoint> _serverSideEndPoints = [];
    private TaskCompletionSource _readingFromServer = Reading();
    private TcpListener? _listener;
    private CancellationTokenSource? _accepting;
    private Task? _acceptLoop;

    public TcpProxy(IPEndPoint target)
        : this(target, new IPEndPoint(IPAddress.Loopback, FreePorts.Next()))
    {
    }

    /// <param name="listenOn">Where it listens: another loopback address can take the server's own port number.</param>
    public TcpProxy(IPEndPoint target, IPEndPoint listenOn)
    {
        _target = target;
        _listenOn = listenOn;
        Port = listenOn.Port;
        Reconnect();
    }

    public int Port { get; }

    public bool IsConnected => _listener is not null;

    /// <summary>This end of each connection it opened to the server, oldest first.</summary>
    public IReadOnlyList<IPEndPoint> ServerSideEndPoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _serverSideEndPoints];
            }
        }
    }

    /// <summary>
    /// Leaves unread what the server sends, on every connection and on those opened later, until <see cref="Disconnect"/>:
    /// what the clients send is still forwarded, so the server's replies pile up in its sockets.
    /// </summary>
    public void StopReadingFromServer()
    {
        lock (_gate)
        {
            if (_readingFromServer.Task.IsCompleted)
            {
                _readingFromServer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Reconnect()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            _listener = new TcpListener(_listenOn);
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
            // The pumps that waited to read from the server find their sockets closed and end.
            _readingFromServer.TrySetResult();
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
                    _serverSideEndPoints.Add((IPEndPoint)server.LocalEndPoint!);
                }

                _ = PumpAsync(client, server, () => Task.CompletedTask);
                _ = PumpAsync(server, client, ReadingFromServer);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private Task ReadingFromServer()
    {
        lock (_gate)
        {
            return _readingFromServer.Task;
        }
    }

    private static TaskCompletionSource Reading()
    {
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reading.SetResult();
        return reading;
    }

    private static async Task PumpAsync(Socket from, Socket to, Func<Task> mayRead)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await mayRead();
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
