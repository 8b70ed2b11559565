namespace Failover.Hosting.Gateway;

/// <summary>
/// Whether a connection's output waits for its client to read: from a flush that does not complete at once until it
/// completes. A stall that lasts <c>limit</c> is reported once to <c>onLimit</c> with its length.
/// </summary>
internal sealed class OutputStall : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _limit;
    private readonly Action<TimeSpan> _onLimit;
    private readonly ITimer _timer;
    private TaskCompletionSource? _resumed;
    private long _startedAt;

    public OutputStall(TimeProvider time, TimeSpan limit, Action<TimeSpan> onLimit)
    {
        _time = time;
        _limit = limit;
        _onLimit = onLimit;
        _timer = time.CreateTimer(_ => OnLimit(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Completed while the output flows; while it is stalled, completes when it flows again.</summary>
    public Task Flowing => Volatile.Read(ref _resumed)?.Task ?? Task.CompletedTask;

    /// <summary>A flush did not complete at once. Called by the connection's one writer only, as is <see cref="End"/>.</summary>
    public void Begin()
    {
        _startedAt = _time.GetTimestamp();
        Volatile.Write(ref _resumed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _timer.Change(_limit, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The pending flush completed (the client read, or the connection closed).</summary>
    public void End()
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _resumed, null)?.TrySetResult();
    }

    public void Dispose()
    {
        _timer.Dispose();
        Interlocked.Exchange(ref _resumed, null)?.TrySetResult();
    }

    private void OnLimit()
    {
        if (Volatile.Read(ref _resumed) is not null)
        {
            _onLimit(_time.GetElapsedTime(Volatile.Read(ref _startedAt)));
        }
    }
}
