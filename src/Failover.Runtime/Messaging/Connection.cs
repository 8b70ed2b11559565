using System.IO.Pipelines;
using Failover.Runtime.Grains;
using Microsoft.AspNetCore.Connections;

namespace Failover.Runtime.Messaging;

/// <summary>
/// One established (handshaken) connection, in either direction: multiplexes calls by message id, answers pings,
/// hands incoming requests to the handler concurrently, and writes through a single batching writer loop. Any
/// failure closes only this connection; its pending calls then fail with <see cref="SiloUnavailableException"/>.
/// </summary>
internal sealed class Connection : IAsyncDisposable
{
    private readonly ConnectionContext _context;
    private readonly ConnectionSettings _settings;
    private readonly string? _blockKey;
    private readonly Action<Connection>? _onClosed;
    private readonly PendingCalls _pending = new();
    private readonly Outbox _outbox = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closeStarted;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;

    /// <param name="peerName">How errors name the other side, e.g. <c>silo 10.0.0.5:11111@123</c>.</param>
    /// <param name="blockKey">The peer silo's <c>host:port</c> for the test fault hook; null for clients.</param>
    public Connection(
        ConnectionContext context,
        ConnectionSettings settings,
        RemotePeer peer,
        string peerName,
        string? blockKey,
        Action<Connection>? onClosed)
    {
        _context = context;
        _settings = settings;
        Peer = peer;
        PeerName = peerName;
        _blockKey = blockKey;
        _onClosed = onClosed;
    }

    public RemotePeer Peer { get; }

    public string PeerName { get; }

    public bool IsClosed => Volatile.Read(ref _closeStarted) != 0;

    /// <summary>Completes once the connection is closed and its socket released.</summary>
    public Task Closed => _closed.Task;

    public void Start()
    {
        MessagingLog.ConnectionEstablished(_settings.Logger, PeerName, Peer.RemoteEndPoint);
        _readLoop = ReadLoopAsync();
        _writeLoop = WriteLoopAsync();
        _ = FinishWhenLoopsEndAsync();
    }

    /// <summary>
    /// Sends a request or ping (assigning its id) and waits for the answer. Throws <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/>; the caller turns that into its own timeout exception.
    /// </summary>
    public async Task<Message> CallAsync(Message message, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (id, response) = _pending.Register();
        message.Id = id;
        if (!_outbox.TryEnqueue(message))
        {
            // Closing: the pending registry has failed (or is about to fail) the call with the close reason.
            _pending.TryFail(id, Unavailable("the connection is closed"));
        }

        try
        {
            return await response.WaitAsync(timeout, timeProvider, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException && !response.IsCompleted)
        {
            _pending.Remove(id);
            throw;
        }
    }

    /// <summary>Closes the connection (idempotent): pending calls fail at once with <paramref name="reason"/>.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            return;
        }

        MessagingLog.ConnectionClosed(_settings.Logger, PeerName, Peer.RemoteEndPoint, reason);
        _outbox.Complete();
        _pending.FailAll(Unavailable(reason));
        _closing.Cancel();
        _context.Abort(new ConnectionAbortedException(reason));
        _onClosed?.Invoke(this);
    }

    public async ValueTask DisposeAsync()
    {
        Close("the connection was disposed");
        await Closed;
    }

    private SiloUnavailableException Unavailable(string reason) =>
        new($"{char.ToUpperInvariant(PeerName[0])}{PeerName[1..]} is unavailable: {reason}.");

    private bool IsBlackHoled => _settings.Blocklist is { } blocklist && blocklist.IsBlocked(_blockKey);

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        var input = _context.Transport.Input;
        var reason = "the peer closed the connection";
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_closing.Token);
                var buffer = result.Buffer;
                while (FrameCodec.TryReadFrame(ref buffer, _settings.MaxFrameBytes, out var payload))
                {
                    var message = FrameCodec.DeserializeMessage(payload);
                    if (!IsBlackHoled)
                    {
                        OnMessage(message);
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (ProtocolViolationException exception)
        {
            reason = "protocol violation: " + exception.Message;
            MessagingLog.ProtocolViolation(_settings.Logger, PeerName, Peer.RemoteEndPoint, exception.Message);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            reason = exception.Message;
        }
        finally
        {
            Close(reason);
        }
    }

    private async Task WriteLoopAsync()
    {
        await Task.Yield();
        var reason = "the connection can no longer be written to";
        try
        {
            await _outbox.RunAsync(_context.Transport.Output, _settings.MaxFrameBytes, () => IsBlackHoled, OnTooLarge, _closing.Token);
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            reason = exception.Message;
        }
        finally
        {
            Close(reason);
        }
    }

    private async Task FinishWhenLoopsEndAsync()
    {
        try
        {
            await Task.WhenAll(_readLoop, _writeLoop);
            await _context.DisposeAsync();
        }
        catch (Exception exception)
        {
            MessagingLog.ConnectionClosed(_settings.Logger, PeerName, Peer.RemoteEndPoint, "releasing the socket failed: " + exception.Message);
        }
        finally
        {
            // _closing is not disposed: handlers still running may hold its token.
            _closed.TrySetResult();
        }
    }

    private void OnMessage(Message message)
    {
        switch (message.Kind)
        {
            case MessageKind.Response or MessageKind.Pong:
                // An unknown id is an answer that arrived after its caller gave up.
                _pending.TryComplete(message.Id, message);
                break;
            case MessageKind.Ping:
                _outbox.TryEnqueue(new Message { Kind = MessageKind.Pong, Id = message.Id, Sender = _settings.LocalSender() });
                break;
            case MessageKind.Request when _settings.Handler is null:
                _outbox.TryEnqueue(new Message
                {
                    Kind = MessageKind.Response,
                    Id = message.Id,
                    Status = ResponseStatus.Rejected,
                    ExceptionMessage = "This side of the connection does not accept requests.",
                });
                break;
            case MessageKind.Request:
                // Off the read loop: a slow or synchronous handler must not hold up the frames behind it.
                ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Connection.HandleRequestAsync(state.Request), (Connection: this, Request: message), preferLocal: false);
                break;
        }
    }

    private async Task HandleRequestAsync(Message request)
    {
        Message response;
        try
        {
            response = await _settings.Handler!.HandleRequestAsync(request, Peer, _closing.Token);
        }
        catch (OperationCanceledException) when (IsClosed)
        {
            return;
        }
        catch (Exception exception)
        {
            response = new Message
            {
                Status = ResponseStatus.Exception,
                ExceptionType = exception.GetType().FullName,
                ExceptionMessage = exception.Message,
            };
        }

        response.Kind = MessageKind.Response;
        response.Id = request.Id;
        _outbox.TryEnqueue(response);
    }

    private void OnTooLarge(Message message, int payloadBytes)
    {
        MessagingLog.FrameTooLarge(_settings.Logger, message.Kind, message.Id, PeerName, payloadBytes, _settings.MaxFrameBytes);
        var error = $"The {message.Kind.ToString().ToLowerInvariant()} is {payloadBytes} bytes, more than Messaging:MaxFrameBytes ({_settings.MaxFrameBytes}).";
        if (message.Kind == MessageKind.Response)
        {
            _outbox.TryEnqueue(new Message
            {
                Kind = MessageKind.Response,
                Id = message.Id,
                Status = ResponseStatus.Exception,
                ExceptionType = typeof(InvalidOperationException).FullName,
                ExceptionMessage = error,
            });
        }
        else
        {
            _pending.TryFail(message.Id, new InvalidOperationException(error));
        }
    }
}
