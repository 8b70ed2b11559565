using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Failover.Runtime.Configuration;
using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Messaging;

/// <summary>
/// The silo's TCP transport: accepts silos and clients on one port, keeps long-lived multiplexed connections to
/// other silo incarnations, answers probes, and hands incoming requests to the <see cref="IMessageHandler"/>.
/// </summary>
public sealed class SiloTransport : IProbeSender, IAsyncDisposable
{
    private readonly MessagingOptions _options;
    private readonly LocalSilo _localSilo;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectionSettings _settings;
    private readonly SocketTransportFactory _listenerFactory;
    private readonly SocketConnectionContextFactory _connectionFactory;
    private readonly PeerBlocklist _blocklist = new();
    private readonly ConcurrentDictionary<SiloAddress, SiloConnections> _pools = new();
    private readonly ConcurrentDictionary<SiloAddress, byte> _dead = new();
    private readonly HashSet<Connection> _connections = [];
    private readonly Lock _connectionsLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<SiloAddress, SiloConnections> _createPool;
    private SiloListener? _listener;
    private int _started;
    private int _stopped;

    /// <exception cref="ValidationException">An option is out of its range.</exception>
    public SiloTransport(
        IOptions<MessagingOptions> options,
        LocalSilo localSilo,
        IMessageHandler handler,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(localSilo);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        Validator.ValidateObject(_options, new ValidationContext(_options), validateAllProperties: true);
        _localSilo = localSilo;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = loggerFactory.CreateLogger<SiloTransport>();
        _settings = new ConnectionSettings(
            _options.MaxFrameBytes,
            _logger,
            new IncarnationFilter(localSilo, handler),
            () => _localSilo.Address.ToString(),
            _blocklist);
        _listenerFactory = SocketSettings.CreateListenerFactory(_options, loggerFactory);
        _connectionFactory = SocketSettings.CreateConnectionFactory(_options, _logger);
        _createPool = target => new SiloConnections(target, _options.ConnectionsPerSilo, ConnectToSiloAsync);
    }

    public IPEndPoint? ListeningEndPoint => _listener?.EndPoint;

    /// <summary>Established connections in both directions.</summary>
    public int OpenConnectionCount
    {
        get
        {
            lock (_connectionsLock)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>
    /// Binds and starts accepting silos and clients on the same port. Throws <see cref="AddressInUseException"/> when
    /// the port is taken.
    /// </summary>
    public async Task StartAsync(IPEndPoint listenEndPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listenEndPoint);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopped) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The transport is already started.");
        }

        try
        {
            _listener = await SiloListener.BindAsync(_listenerFactory, listenEndPoint, AcceptAsync, _logger, cancellationToken);
        }
        catch
        {
            Volatile.Write(ref _started, 0);
            throw;
        }
    }

    /// <summary>Stops accepting and closes all connections; pending calls fail with <see cref="SiloUnavailableException"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _stopping.CancelAsync();
            if (_listener is { } listener)
            {
                await listener.DisposeAsync();
            }

            foreach (var target in _pools.Keys)
            {
                if (_pools.TryRemove(target, out var pool))
                {
                    pool.Close("the local transport stopped");
                }
            }
        }

        var closing = new List<Task>();
        foreach (var connection in SnapshotConnections())
        {
            connection.Close("the local transport stopped");
            closing.Add(connection.Closed);
        }

        await Task.WhenAll(closing).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _connectionFactory.Dispose();
    }

    /// <summary>
    /// Sends a request to that silo incarnation and awaits its response (whatever its status). Sets
    /// <see cref="Message.Kind"/>, <see cref="Message.TargetSilo"/> and <see cref="Message.TimeoutMs"/>.
    /// </summary>
    /// <exception cref="SiloUnavailableException">The silo cannot be reached, another generation answers at its
    /// endpoint, the connection drops while the call is pending, or <see cref="DisconnectFrom"/> was called.</exception>
    /// <exception cref="GrainCallTimeoutException">No response within <paramref name="timeout"/>.</exception>
    public async Task<Message> SendRequestAsync(SiloAddress target, Message request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        CallTimeouts.Validate(timeout);
        var started = _time.GetTimestamp();
        request.Kind = MessageKind.Request;
        request.TargetSilo = target.ToString();

        var pool = GetPool(target);
        try
        {
            if (_blocklist.IsBlocked(target.Endpoint))
            {
                await BlackHoleAsync(pool, timeout, cancellationToken);
            }

            var connection = await GetConnectionAsync(pool, timeout, started, cancellationToken);
            var remaining = CallTimeouts.Remaining(timeout, started, _time);
            request.TimeoutMs = CallTimeouts.ToMilliseconds(remaining);
            return await connection.CallAsync(request, remaining, _time, cancellationToken);
        }
        catch (TimeoutException exception) when (exception is not GrainCallTimeoutException)
        {
            throw new GrainCallTimeoutException(
                $"Call {request.Method} on {request.Target} to silo {target} did not complete within {CallTimeouts.Describe(timeout)}.", exception);
        }
        catch (ConnectException exception)
        {
            throw Unavailable(target, exception.Message, exception);
        }
    }

    /// <summary>
    /// Pings that silo incarnation over a (possibly pooled) connection. A refused connection, or another generation
    /// answering at its endpoint, fails at once with <see cref="ProbeFailedException.Refused"/> set.
    /// </summary>
    public async Task ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        CallTimeouts.Validate(timeout);
        var started = _time.GetTimestamp();
        try
        {
            var pool = GetPool(target);
            if (_blocklist.IsBlocked(target.Endpoint))
            {
                await BlackHoleAsync(pool, timeout, cancellationToken);
            }

            var connection = await GetConnectionAsync(pool, timeout, started, cancellationToken);
            var ping = new Message { Kind = MessageKind.Ping, Sender = _localSilo.Address.ToString() };
            await connection.CallAsync(ping, CallTimeouts.Remaining(timeout, started, _time), _time, cancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new ProbeFailedException(
                $"Silo {target} did not answer a probe within {CallTimeouts.Describe(timeout)}.", refused: false, exception);
        }
        catch (ConnectException exception)
        {
            throw new ProbeFailedException($"Probing silo {target} failed: {exception.Message}.", exception.Definite, exception);
        }
        catch (SiloUnavailableException exception)
        {
            throw new ProbeFailedException($"Probing silo {target} failed: {exception.Message}", refused: false, exception);
        }
    }

    /// <summary>
    /// The silo was declared Dead: closes its connections (both directions), fails its pending calls at once and
    /// refuses new sends to, and connections from, that incarnation.
    /// </summary>
    public void DisconnectFrom(SiloAddress target)
    {
        ArgumentNullException.ThrowIfNull(target);
        const string Reason = "it was declared dead";
        _dead.TryAdd(target, 0);

        // Pairs with the barrier in GetPool: either that call sees the silo dead, or this one sees its new pool.
        Interlocked.MemoryBarrier();
        if (_pools.TryRemove(target, out var pool))
        {
            pool.Close(Reason);
        }

        var address = target.ToString();
        foreach (var connection in SnapshotConnections())
        {
            if (connection.Peer.Role == HandshakeRole.Silo && connection.Peer.SiloAddress == address)
            {
                connection.Close(Reason);
            }
        }
    }

    /// <summary>
    /// Test fault hook: until <see cref="UnblockPeer"/>, sends and probes to the silo at <paramref name="hostPort"/>
    /// time out as on a black-holed network, and connections and frames from it are ignored.
    /// </summary>
    public void BlockPeer(string hostPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostPort);
        _blocklist.Block(hostPort);
    }

    public void UnblockPeer(string hostPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostPort);
        _blocklist.Unblock(hostPort);
    }

    private static SiloUnavailableException Unavailable(SiloAddress target, string reason, Exception? inner = null) =>
        inner is null
            ? new SiloUnavailableException($"Silo {target} is unavailable: {reason}.")
            : new SiloUnavailableException($"Silo {target} is unavailable: {reason}.", inner);

    private SiloConnections GetPool(SiloAddress target)
    {
        if (Volatile.Read(ref _stopped) != 0)
        {
            throw Unavailable(target, "the local transport is stopped");
        }

        if (_dead.ContainsKey(target))
        {
            throw Unavailable(target, "it was declared dead");
        }

        var pool = _pools.GetOrAdd(target, _createPool);
        Interlocked.MemoryBarrier();
        var stopped = Volatile.Read(ref _stopped) != 0;
        if (stopped || _dead.ContainsKey(target))
        {
            var reason = stopped ? "the local transport is stopped" : "it was declared dead";
            _pools.TryRemove(KeyValuePair.Create(target, pool));
            pool.Close(reason);
            throw Unavailable(target, reason);
        }

        return pool;
    }

    private async ValueTask<Connection> GetConnectionAsync(SiloConnections pool, TimeSpan timeout, long started, CancellationToken cancellationToken)
    {
        var connecting = pool.GetAsync();
        return connecting.IsCompleted
            ? await connecting
            : await connecting.AsTask().WaitAsync(CallTimeouts.Remaining(timeout, started, _time), _time, cancellationToken);
    }

    /// <summary>What a partitioned network does to a call: nothing, until the caller's deadline.</summary>
    private async Task BlackHoleAsync(SiloConnections pool, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, pool.Lifetime);
        try
        {
            await Task.Delay(timeout, _time, linked.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectException(pool.ClosedReason ?? "the connection was closed", definite: false, exception);
        }

        throw new TimeoutException();
    }

    private async Task<Connection> ConnectToSiloAsync(SiloAddress target, CancellationToken lifetime)
    {
        var context = await SocketConnector.ConnectAsync(
            SocketConnector.EndPointOf(target.Host, target.Port), _options.ConnectTimeout, _time, _connectionFactory, lifetime);
        try
        {
            var answered = await ClientHandshake.RunAsync(
                context, Handshakes.ForSilo(_localSilo.ClusterId, _localSilo.Address), _localSilo.ClusterId, _options, _time, lifetime);
            if (answered.Generation != target.Generation)
            {
                throw new ConnectException($"{target.Endpoint} now runs generation {answered.Generation}", definite: true);
            }

            var peer = new RemotePeer(HandshakeRole.Silo, answered.ToString(), ClientId: null, RemoteEndPointOf(context));
            var connection = new Connection(context, _settings, peer, $"silo {target}", target.Endpoint, Unregister);
            if (!TryRegister(connection))
            {
                throw new ConnectException("the local transport is stopped", definite: false);
            }

            connection.Start();
            return connection;
        }
        catch
        {
            context.Abort();
            await context.DisposeAsync();
            throw;
        }
    }

    private async Task AcceptAsync(ConnectionContext context)
    {
        var remote = RemoteEndPointOf(context);
        try
        {
            var hello = await ServerHandshake.ReadHelloAsync(context, _options, _time, _stopping.Token);
            var silo = Handshakes.ValidateHello(hello, _localSilo.ClusterId);
            if (silo is not null && _dead.ContainsKey(silo))
            {
                throw new ProtocolViolationException($"silo {silo} was declared dead");
            }

            if (silo is not null && _blocklist.IsBlocked(silo.Endpoint))
            {
                MessagingLog.IgnoringBlockedPeer(_logger, silo, remote);
                await ServerHandshake.IgnoreUntilClosedAsync(context, _stopping.Token);
                await CloseRejectedAsync(context);
                return;
            }

            await Handshakes.WriteAsync(
                context.Transport.Output, Handshakes.ForSilo(_localSilo.ClusterId, _localSilo.Address), _options.MaxFrameBytes, _stopping.Token);
            var peer = new RemotePeer(hello.Role, silo?.ToString(), hello.ClientId, remote);
            var name = silo is null ? $"client {hello.ClientId}" : $"silo {silo}";
            var connection = new Connection(context, _settings, peer, name, silo?.Endpoint, Unregister);
            if (!TryRegister(connection))
            {
                await CloseRejectedAsync(context);
                return;
            }

            connection.Start();
        }
        catch (ProtocolViolationException exception)
        {
            MessagingLog.HandshakeRejected(_logger, remote, exception.Message);
            await CloseRejectedAsync(context);
        }
        catch (Exception exception)
        {
            // The peer went away or this silo is stopping: nothing wrong was sent, so no warning.
            MessagingLog.HandshakeAbandoned(_logger, remote, exception.Message);
            await CloseRejectedAsync(context);
        }
    }

    private static async Task CloseRejectedAsync(ConnectionContext context)
    {
        context.Abort();
        await context.DisposeAsync();
    }

    private static string RemoteEndPointOf(ConnectionContext context) => context.RemoteEndPoint?.ToString() ?? "unknown";

    private bool TryRegister(Connection connection)
    {
        lock (_connectionsLock)
        {
            if (Volatile.Read(ref _stopped) != 0)
            {
                return false;
            }

            _connections.Add(connection);
            return true;
        }
    }

    private void Unregister(Connection connection)
    {
        lock (_connectionsLock)
        {
            _connections.Remove(connection);
        }
    }

    private Connection[] SnapshotConnections()
    {
        lock (_connectionsLock)
        {
            return [.. _connections];
        }
    }
}
