using Microsoft.Extensions.Options;

namespace Failover.Hosting.Leases;

/// <summary>
/// Whether this silo may act now: its lease was renewed on the database less than <see cref="NodeLeaseOptions.Timeout"/>
/// ago, counted on this silo's monotonic clock from when the renewal was sent (so the silo never believes a lease longer
/// than the database does). Product grain calls, timers and node services hold still while it is lapsed (invariant 4).
/// </summary>
public sealed class NodeLease
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly Lock _lock = new();
    private long _renewedAt;
    private bool _everRenewed;
    private TaskCompletionSource _held = NewSignal();

    public NodeLease(IOptions<NodeLeaseOptions> options, TimeProvider time)
    {
        _time = time;
        _timeout = options.Value.Timeout;
    }

    public TimeSpan Timeout => _timeout;

    public bool IsHeld
    {
        get
        {
            lock (_lock)
            {
                return IsHeld_NeedsLock();
            }
        }
    }

    /// <summary>Records a renewal that the database accepted, sent at <paramref name="sentAt"/> (a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public void Renewed(long sentAt)
    {
        TaskCompletionSource? held = null;
        lock (_lock)
        {
            if (!_everRenewed || sentAt > _renewedAt)
            {
                _renewedAt = sentAt;
                _everRenewed = true;
            }

            if (IsHeld_NeedsLock() && !_held.Task.IsCompleted)
            {
                held = _held;
            }
        }

        held?.TrySetResult();
    }

    /// <summary>How long the lease had been lapsed at <paramref name="at"/> (a <see cref="TimeProvider.GetTimestamp"/> value); null if it was held.</summary>
    public TimeSpan? LapsedFor(long at)
    {
        lock (_lock)
        {
            if (!_everRenewed)
            {
                return null;
            }

            var lapsed = _time.GetElapsedTime(_renewedAt, at) - _timeout;
            return lapsed > TimeSpan.Zero ? lapsed : null;
        }
    }

    /// <summary>Completes when the lease is held, or returns false once <paramref name="wait"/> has passed without it.</summary>
    public async Task<bool> WaitUntilHeldAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_lock)
        {
            if (IsHeld_NeedsLock())
            {
                return true;
            }

            if (_held.Task.IsCompleted)
            {
                _held = NewSignal();
            }

            signal = _held.Task;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await signal.WaitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return IsHeld;
        }
    }

    private bool IsHeld_NeedsLock() => _everRenewed && _time.GetElapsedTime(_renewedAt) < _timeout;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
