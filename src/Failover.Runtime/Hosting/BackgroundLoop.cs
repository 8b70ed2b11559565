namespace Failover.Runtime.Hosting;

/// <summary>
/// One piece of periodic work on a <see cref="TimeProvider"/> clock: a pass at start if asked, then one every
/// period, never two at once, until stopped or until a pass returns false. A pass handles its own failures; the
/// loop only ends quietly when it is stopped.
/// </summary>
internal sealed class BackgroundLoop(TimeSpan period, TimeProvider timeProvider, Func<CancellationToken, Task<bool>> pass, bool runAtStart = false)
    : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public static Func<CancellationToken, Task<bool>> Always(Func<CancellationToken, Task> pass) => async cancellationToken =>
    {
        await pass(cancellationToken);
        return true;
    };

    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The loop is already started.");
        }

        _stop = new CancellationTokenSource();
        _loop = RunAsync(_stop.Token);
    }

    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop?.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            if (runAtStart && !await pass(cancellationToken))
            {
                return;
            }

            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!await pass(cancellationToken))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
