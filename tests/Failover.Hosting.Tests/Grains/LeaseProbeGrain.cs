using System.Collections.Concurrent;
using Failover.Hosting.Leases;
using Orleans.Placement;

namespace Failover.Hosting.Tests.Grains;

/// <summary>What reached the test silo's product grain: calls as they entered the filters, calls and timer ticks as they ran.</summary>
public sealed class CallLog
{
    private readonly ConcurrentQueue<string> _entered = new();
    private readonly ConcurrentQueue<string> _ran = new();
    private int _ticks;

    public IReadOnlyCollection<string> Entered => _entered;

    public IReadOnlyCollection<string> Ran => _ran;

    public int Ticks => Volatile.Read(ref _ticks);

    public void Enter(string call) => _entered.Enqueue(call);

    public void Run(string call) => _ran.Enqueue(call);

    public void Tick() => Interlocked.Increment(ref _ticks);
}

/// <summary>Notes every call to a <see cref="LeaseProbeGrain"/> as it enters the silo's filters, before the lease filter.</summary>
internal sealed class CallLogFilter(CallLog log) : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is LeaseProbeGrain && context.Request.GetArgumentCount() > 0 && context.Request.GetArgument(0) is string note)
        {
            log.Enter(note);
        }

        return context.Invoke();
    }
}

public interface ILeaseProbeGrain : IGrainWithStringKey
{
    Task<string> Ping(string note);

    Task StartTicking(TimeSpan period);
}

/// <summary>A product grain: its calls and its timer ticks are held while the silo's node lease is lapsed.</summary>
[PreferLocalPlacement]
public sealed class LeaseProbeGrain(CallLog log, NodeLease lease) : Grain, ILeaseProbeGrain
{
    private IGrainTimer? _timer;

    public Task<string> Ping(string note)
    {
        log.Run(note);
        return Task.FromResult(note);
    }

    public Task StartTicking(TimeSpan period)
    {
        _timer?.Dispose();
        _timer = this.RegisterLeasedTimer(lease, _ =>
        {
            log.Tick();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        return Task.CompletedTask;
    }
}
