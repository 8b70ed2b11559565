using System.Diagnostics;
using Failover.TestHost;

namespace Failover.Benchmarks;

/// <summary>
/// One kill: a fresh grain activated through the oldest silo's gateway and written once (fenced state), reached
/// through the others by a client whose gateways are only those (the product client's response timeout), then kill -9
/// of the silo holding it and a call through the survivors every 25 ms, each left to run, until one is answered. Some
/// calls a gateway forwards to the victim before it is declared Dead are never answered (see <see cref="LostCalls"/>):
/// a caller that waited for one would measure its response timeout, not the fail-over.
/// </summary>
internal sealed class KillRound(SiloProcessCluster cluster, string grainKey, TimeSpan limit)
{
    private static readonly TimeSpan s_probeInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Once the grain answers, calls answer in milliseconds: one still unanswered this much later was lost.</summary>
    private static readonly TimeSpan s_lostAfter = TimeSpan.FromSeconds(1);

    private int _failedCalls;

    public SiloProcess? Victim { get; private set; }

    /// <summary>From the kill to the first answer; null when none came within the limit.</summary>
    public TimeSpan? Answered { get; private set; }

    public string? AnsweredBy { get; private set; }

    /// <summary>Calls that failed (an exception) before the answer.</summary>
    public int FailedCalls => Volatile.Read(ref _failedCalls);

    /// <summary>Calls made after the kill still unanswered <see cref="s_lostAfter"/> after the answer (or at the limit): lost.</summary>
    public int LostCalls { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The write made on the victim was read back on the survivor.</summary>
    public bool StateKept { get; private set; }

    /// <summary>The kill on the wall clock (silos stamp their membership votes with it).</summary>
    public DateTime KilledAt { get; private set; }

    public async Task<KillRound> RunAsync(CancellationToken cancellationToken)
    {
        var running = cluster.Running;
        await using (var first = await BenchClient.ConnectAsync(cluster, [running[0]], cancellationToken))
        {
            var placed = first.Grains.GetGrain<ILocatorGrain>(grainKey);
            var node = await placed.Where().WaitAsync(cancellationToken);
            Victim = running.SingleOrDefault(s => s.Node == node)
                ?? throw new InvalidOperationException($"grain {grainKey} activated on {node}, which is no running silo of this benchmark");
            Expect(await placed.Increment().WaitAsync(cancellationToken), 1, "first write");
        }

        await using var viaSurvivors = await BenchClient.ConnectAsync(cluster, running.Where(s => s != Victim), cancellationToken);
        var grain = viaSurvivors.Grains.GetGrain<ILocatorGrain>(grainKey);
        Expect(await grain.Where().WaitAsync(cancellationToken), Victim.Node, "reached through a survivor before the kill");

        KilledAt = DateTime.UtcNow;
        var killedAt = Stopwatch.GetTimestamp();
        cluster.Kill(Victim);
        var answer = new TaskCompletionSource<(TimeSpan After, string Node)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = new List<Task>();
        while (Stopwatch.GetElapsedTime(killedAt) < limit && !answer.Task.IsCompleted)
        {
            calls.Add(CallAsync(grain, killedAt, answer));
            await Task.WhenAny(answer.Task, Task.Delay(s_probeInterval, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (answer.Task.IsCompleted)
        {
            (Answered, AnsweredBy) = await answer.Task;
            await Task.Delay(s_lostAfter, cancellationToken);
        }

        LostCalls = calls.Count(c => !c.IsCompleted);
        if (Answered is not null)
        {
            if (AnsweredBy == Victim.Node)
            {
                throw new InvalidOperationException($"grain {grainKey} answered from {Victim.Node} after it was killed");
            }

            StateKept = await grain.Get().WaitAsync(cancellationToken) == 1;
        }

        return this;
    }

    private async Task CallAsync(ILocatorGrain grain, long killedAt, TaskCompletionSource<(TimeSpan, string)> answer)
    {
        try
        {
            var node = await grain.Where();
            answer.TrySetResult((Stopwatch.GetElapsedTime(killedAt), node));
        }
        catch (Exception exception)
        {
            if (!answer.Task.IsCompleted)
            {
                Interlocked.Increment(ref _failedCalls);
                LastError = $"{exception.GetType().Name}: {exception.Message.Split('\n')[0].Trim()}";
            }
        }
    }

    private void Expect<T>(T actual, T expected, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
        {
            throw new InvalidOperationException($"grain {grainKey} on {Victim?.Node}: {what}: expected {expected}, got {actual}");
        }
    }
}
