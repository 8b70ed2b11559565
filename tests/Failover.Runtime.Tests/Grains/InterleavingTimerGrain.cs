using Failover.Runtime.Grains;

namespace Failover.Runtime.Tests.Grains;

public interface IInterleavingTimerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period, bool interleave);

    /// <summary>Completes when <see cref="Open"/> is called.</summary>
    Task WaitForOpen();

    Task Open();

    Task<int> GetTicks();
}

[Reentrant]
public sealed class InterleavingTimerGrain : Grain, IInterleavingTimerGrain
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IGrainTimer? _timer;
    private int _ticks;

    public Task Start(TimeSpan period, bool interleave)
    {
        _timer?.Dispose();
        _timer = RegisterGrainTimer(_ => Tick(), new GrainTimerCreationOptions(period, period) { Interleave = interleave });
        return Task.CompletedTask;
    }

    public Task WaitForOpen() => _opened.Task;

    public Task Open()
    {
        _opened.TrySetResult();
        return Task.CompletedTask;
    }

    public Task<int> GetTicks() => Task.FromResult(_ticks);

    private Task Tick()
    {
        _ticks++;
        return Task.CompletedTask;
    }
}
