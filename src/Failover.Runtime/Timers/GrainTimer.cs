using Failover.Runtime.Activation;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Timers;

/// <summary>
/// An in-memory grain timer. Each tick is queued as a turn of the activation; the next period starts when the
/// callback has completed, so ticks never overlap (Orleans' rule).
/// </summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly GrainActivation _activation;
    private readonly Func<object?, CancellationToken, Task> _callback;
    private readonly object? _state;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private TimeSpan _period;
    private bool _changedDuringTick;
    private bool _ticking;

    public GrainTimer(
        GrainActivation activation, Func<object?, CancellationToken, Task> callback, object? state, TimeSpan dueTime, TimeSpan period, bool interleave = false)
    {
        Interleave = interleave;
        _activation = activation;
        _callback = callback;
        _state = state;
        _timer = activation.Runtime.TimeProvider.CreateTimer(static t => ((GrainTimer)t!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        activation.AddTimer(this);
        Change(dueTime, period);
    }

    /// <summary>Whether its ticks may interleave with the requests of a reentrant grain.</summary>
    public bool Interleave { get; }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        ValidateSpan(dueTime, nameof(dueTime));
        ValidateSpan(period, nameof(period));
        if (period == TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "A grain timer period must be positive, or Timeout.InfiniteTimeSpan for a single tick.");
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            _period = period;
            _changedDuringTick = _ticking;
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
        }

        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    internal async Task TickAsync()
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _ticking = true;
            _changedDuringTick = false;
        }

        try
        {
            await _callback(_state, _disposed.Token);
        }
        finally
        {
            lock (_gate)
            {
                _ticking = false;
                if (!_disposed.IsCancellationRequested && !_changedDuringTick && _period != Timeout.InfiniteTimeSpan)
                {
                    _timer.Change(_period, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    private void OnDue()
    {
        if (!_disposed.IsCancellationRequested && !_activation.TryEnqueue(new TimerTickWorkItem(this)))
        {
            Dispose();
        }
    }

    private static void ValidateSpan(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be non-negative or Timeout.InfiniteTimeSpan.");
        }
    }
}
