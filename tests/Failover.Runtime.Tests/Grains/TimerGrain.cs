using Failover.Runtime.Grains;

namespace Failover.Runtime.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task Stop();

    Task<int> GetTicks();

    Task<int> GetOverlaps();
}

public sealed class TimerGrain : Grain, ITimerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;
    private int _inside;
    private int _overlaps;

    public Task Start(TimeSpan period)
    {
        _timer?.Dispose();
        _timer = RegisterGrainTimer(OnTickAsync, period, period);
        return Task.CompletedTask;
    }

    public Task Stop()
    {
        _timer?.Dispose();
        _timer = null;
        return Task.CompletedTask;
    }

    public Task<int> GetTicks() => Task.FromResult(_ticks);

    public Task<int> GetOverlaps() => Task.FromResult(_overlaps);

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        if (++_inside != 1)
        {
            _overlaps++;
        }

        await Task.Yield();
        _ticks++;
        _inside--;
    }
}
