namespace Failover.Agents;

/// <summary>Lets a loop wait for a period or until it is woken early, whichever comes first.</summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    public async Task WaitAsync(TimeSpan period, TimeProvider time, CancellationToken cancellationToken)
    {
        var wake = Volatile.Read(ref _wake);
        if (period > TimeSpan.Zero)
        {
            try
            {
                await wake.Task.WaitAsync(period, time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }
        }

        if (wake.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
        }
    }
}
