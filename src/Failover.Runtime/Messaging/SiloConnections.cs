using System.Diagnostics.CodeAnalysis;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Messaging;

/// <summary>
/// The outgoing connections to one silo incarnation: up to <c>ConnectionsPerSilo</c>, opened on first use, reopened
/// after they drop, calls spread round-robin. Closed for good when the incarnation is declared dead or the transport
/// stops.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "_lifetime has no timer to release; callers may still link to its token after Close, so it is never disposed.")]
internal sealed class SiloConnections
{
    private readonly Func<SiloAddress, CancellationToken, Task<Connection>> _connect;
    private readonly Slot[] _slots;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _lock = new();
    private int _nextSlot;
    private string? _closedReason;

    public SiloConnections(SiloAddress target, int connections, Func<SiloAddress, CancellationToken, Task<Connection>> connect)
    {
        Target = target;
        _connect = connect;
        _slots = new Slot[connections];
        for (var i = 0; i < connections; i++)
        {
            _slots[i] = new Slot();
        }
    }

    public SiloAddress Target { get; }

    /// <summary>Cancelled when these connections are closed for good.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>Why the pool was closed, or null while it is usable.</summary>
    public string? ClosedReason => Volatile.Read(ref _closedReason);

    /// <summary>An open connection, or a task that opens one. Faults with <see cref="ConnectException"/>.</summary>
    public ValueTask<Connection> GetAsync()
    {
        var slot = NextSlot();
        var open = Volatile.Read(ref slot.Open);
        if (open is { IsClosed: false })
        {
            return ValueTask.FromResult(open);
        }

        lock (_lock)
        {
            if (_closedReason is { } reason)
            {
                return ValueTask.FromException<Connection>(new ConnectException(reason, definite: false));
            }

            if (slot.Open is { IsClosed: false } opened)
            {
                return ValueTask.FromResult(opened);
            }

            if (slot.Connecting is null || slot.Connecting.IsCompleted)
            {
                slot.Open = null;
                // Not inline: the connect must not start under the lock.
                slot.Connecting = Task.Run(() => OpenAsync(slot));
            }

            return new ValueTask<Connection>(slot.Connecting);
        }
    }

    public void Close(string reason)
    {
        List<Connection> open = [];
        lock (_lock)
        {
            if (_closedReason is not null)
            {
                return;
            }

            _closedReason = reason;
            foreach (var slot in _slots)
            {
                if (slot.Open is { } connection)
                {
                    open.Add(connection);
                }
            }
        }

        _lifetime.Cancel();
        foreach (var connection in open)
        {
            connection.Close(reason);
        }
    }

    private Slot NextSlot() =>
        _slots.Length == 1 ? _slots[0] : _slots[(int)((uint)Interlocked.Increment(ref _nextSlot) % (uint)_slots.Length)];

    private async Task<Connection> OpenAsync(Slot slot)
    {
        Connection connection;
        try
        {
            connection = await _connect(Target, _lifetime.Token);
        }
        catch (OperationCanceledException exception) when (_lifetime.IsCancellationRequested)
        {
            throw new ConnectException(ClosedReason ?? "the connection attempt was cancelled", definite: false, exception);
        }

        string? closedReason;
        lock (_lock)
        {
            closedReason = _closedReason;
            if (closedReason is null)
            {
                slot.Open = connection;
            }
        }

        if (closedReason is not null)
        {
            connection.Close(closedReason);
            throw new ConnectException(closedReason, definite: false);
        }

        return connection;
    }

    private sealed class Slot
    {
        public Connection? Open;
        public Task<Connection>? Connecting;
    }
}
