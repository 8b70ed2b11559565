using Failover.Runtime.Grains;

namespace Failover.Runtime.Tests.Grains;

public interface IGate
{
    /// <summary>Completes when <see cref="Open"/> is called.</summary>
    Task<string> WaitForOpen();

    Task Open();

    /// <summary>How often two turns ran their synchronous parts on two threads at once.</summary>
    Task<int> GetParallelSections();
}

public interface IGateGrain : IGate, IGrainWithStringKey;

public interface IReentrantGateGrain : IGate, IGrainWithStringKey;

public abstract class GateGrainBase : Grain
{
    private TaskCompletionSource<string> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;
    private int _parallel;

    public async Task<string> WaitForOpen()
    {
        Enter();
        Leave();
        var result = await _opened.Task;
        Enter();
        Leave();
        return result;
    }

    public Task Open()
    {
        Enter();
        _opened.TrySetResult("opened");
        _opened = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Leave();
        return Task.CompletedTask;
    }

    public Task<int> GetParallelSections() => Task.FromResult(_parallel);

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Interlocked.Increment(ref _parallel);
        }

        Thread.SpinWait(1000);
    }

    private void Leave() => Interlocked.Decrement(ref _inside);
}

/// <summary>Non-reentrant: a call to Open queues behind a pending WaitForOpen, so WaitForOpen can never complete.</summary>
public sealed class GateGrain : GateGrainBase, IGateGrain;

[Reentrant]
public sealed class ReentrantGateGrain : GateGrainBase, IReentrantGateGrain;
