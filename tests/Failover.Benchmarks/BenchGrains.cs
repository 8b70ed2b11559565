using System.Diagnostics;
using Failover.Hosting;
using Failover.Hosting.Placement;
using Failover.Hosting.Reminders;
using Orleans.Runtime;

namespace Failover.Benchmarks;

/// <summary>
/// Keys of the benchmark's grains are <c>NODE/NAME</c>: the grain lives on the silo of node NODE
/// (<see cref="BenchPlacementRule"/>), so a benchmark knows which calls cross silos.
/// </summary>
internal static class BenchKeys
{
    public static string On(string node, string name) => $"{node}/{name}";
}

public interface IPingGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);

    /// <summary>The node of the silo running this activation.</summary>
    Task<string> Node();
}

[GrainType("bench-ping")]
[NodeRulePlacement]
public sealed class PingGrain(LocalSilo silo) : Grain, IPingGrain
{
    public Task<int> Ping(int value) => Task.FromResult(value);

    public Task<string> Node() => Task.FromResult(silo.NodeName);
}

/// <summary>Answered calls per second, and the calls that failed.</summary>
[GenerateSerializer]
[Alias("Failover.Benchmarks.Throughput")]
public sealed record Throughput(double CallsPerSecond, CallFailures Failures);

/// <summary>The latency of every answered call (µs), and the calls that failed.</summary>
[GenerateSerializer]
[Alias("Failover.Benchmarks.LatencySample")]
public sealed record LatencySample(double[] Micros, CallFailures Failures);

/// <summary>
/// Drives calls from inside its silo: grains on this silo (<see cref="ICallerGrain"/>) call the given grains and time
/// themselves there. One call is one round, so the client that asks for it is idle while it runs.
/// </summary>
public interface ILoadDriverGrain : IGrainWithStringKey
{
    /// <summary>Answered calls per second of one caller grain per key, each calling its own grain back to back.</summary>
    [ResponseTimeout("00:05:00")]
    Task<Throughput> Concurrent(string[] pingKeys, TimeSpan duration);

    /// <summary>The latency of every call of one caller grain.</summary>
    [ResponseTimeout("00:05:00")]
    Task<LatencySample> Latencies(string pingKey, TimeSpan duration);

    Task<string> Node();
}

[GrainType("bench-driver")]
[NodeRulePlacement]
public sealed class LoadDriverGrain(LocalSilo silo, IGrainFactory grains) : Grain, ILoadDriverGrain
{
    public async Task<Throughput> Concurrent(string[] pingKeys, TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        var results = await Task.WhenAll(pingKeys.Select((key, i) => CallAsync(Caller(i), key, duration)));
        var failures = new CallFailures();
        foreach (var result in results)
        {
            failures.Add(result.Failures);
        }

        return new Throughput(results.Sum(r => r.Calls) / stopwatch.Elapsed.TotalSeconds, failures);
    }

    public async Task<LatencySample> Latencies(string pingKey, TimeSpan duration)
    {
        try
        {
            return await Caller(0).Latencies(pingKey, duration);
        }
        catch (Exception exception)
        {
            var failures = new CallFailures();
            failures.Record(exception);
            return new LatencySample([], failures);
        }
    }

    public Task<string> Node() => Task.FromResult(silo.NodeName);

    /// <summary>A caller grain's round; the call that starts it can be refused too (counted, as its calls are).</summary>
    private static async Task<CallCount> CallAsync(ICallerGrain caller, string pingKey, TimeSpan duration)
    {
        try
        {
            return await caller.Call(pingKey, duration);
        }
        catch (Exception exception)
        {
            var failures = new CallFailures();
            failures.Record(exception);
            return new CallCount(0, failures);
        }
    }

    private ICallerGrain Caller(int index) => grains.GetGrain<ICallerGrain>(BenchKeys.On(silo.NodeName, $"caller-{index}"));
}

/// <summary>How many calls answered, and the calls that failed.</summary>
[GenerateSerializer]
[Alias("Failover.Benchmarks.CallCount")]
public sealed record CallCount(long Calls, CallFailures Failures);

/// <summary>A grain that calls another grain back to back (a caller of <see cref="ILoadDriverGrain"/>).</summary>
public interface ICallerGrain : IGrainWithStringKey
{
    [ResponseTimeout("00:05:00")]
    Task<CallCount> Call(string pingKey, TimeSpan duration);

    [ResponseTimeout("00:05:00")]
    Task<LatencySample> Latencies(string pingKey, TimeSpan duration);
}

[GrainType("bench-caller")]
[NodeRulePlacement]
public sealed class CallerGrain(IGrainFactory grains) : Grain, ICallerGrain
{
    public async Task<CallCount> Call(string pingKey, TimeSpan duration)
    {
        var target = grains.GetGrain<IPingGrain>(pingKey);
        var failures = new CallFailures();
        var stopwatch = Stopwatch.StartNew();
        long calls = 0;
        while (stopwatch.Elapsed < duration)
        {
            calls += await failures.TryAsync(() => target.Ping(1)) ? 1 : 0;
        }

        return new CallCount(calls, failures);
    }

    public async Task<LatencySample> Latencies(string pingKey, TimeSpan duration)
    {
        var target = grains.GetGrain<IPingGrain>(pingKey);
        var failures = new CallFailures();
        return new LatencySample([.. await Load.LatenciesAsync(() => target.Ping(1), duration, failures, CancellationToken.None)], failures);
    }
}

public interface ITickGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task Stop();

    Task<TickReport> Report();
}

/// <summary>For each tick handled, how late it arrived after its slot (ms); the ticks Orleans skipped, counted from the last tick handled.</summary>
[GenerateSerializer]
[Alias("Failover.Benchmarks.TickReport")]
public sealed record TickReport(double[] LatenessMs, long Missed);

/// <summary>A reminder's ticks as the grain sees them: lateness against the reminder's schedule, missed ticks.</summary>
[GrainType("bench-tick")]
[NodeRulePlacement]
public sealed class TickGrain : Grain, ITickGrain, IRemindable
{
    /// <summary>A tick fired this much before its slot belongs to that slot, not to the one before.</summary>
    private static readonly TimeSpan s_earlyAllowance = TimeSpan.FromMilliseconds(100);

    private readonly List<double> _lateness = [];
    private long _missed;
    private DateTime? _lastTick;

    public async Task Start(TimeSpan period) => await this.RegisterOrUpdateReminder("tick", period, period);

    public async Task Stop()
    {
        if (await this.GetReminder("tick") is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<TickReport> Report() => Task.FromResult(new TickReport([.. _lateness], _missed));

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var arrived = DateTime.UtcNow;
        // Orleans stamps CurrentTickTime when it fires the tick; the slot is FirstTickTime + n x Period.
        var slots = Math.Floor((status.CurrentTickTime - status.FirstTickTime + s_earlyAllowance) / status.Period);
        var slot = status.FirstTickTime + (status.Period * slots);
        _lateness.Add((arrived - slot).TotalMilliseconds);
        _missed += MissedTicks.Count(_lastTick, status);
        _lastTick = status.CurrentTickTime;
        return Task.CompletedTask;
    }
}

/// <summary>Places a benchmark grain (grain type <c>bench-*</c>, key <c>NODE/NAME</c>) on the silo of node NODE.</summary>
internal sealed class BenchPlacementRule : INodePlacementRule
{
    public bool Covers(GrainId grain) =>
        grain.Type.ToString()!.StartsWith("bench-", StringComparison.Ordinal) && grain.Key.ToString()!.Contains('/', StringComparison.Ordinal);

    public ValueTask<SiloAddress?> ChooseAsync(GrainId grain, IReadOnlyList<ClusterMember> candidates, SiloAddress local, CancellationToken cancellationToken)
    {
        var key = grain.Key.ToString()!;
        var node = key[..key.IndexOf('/', StringComparison.Ordinal)];
        return ValueTask.FromResult(candidates.FirstOrDefault(member => member.Name == node)?.SiloAddress);
    }
}
