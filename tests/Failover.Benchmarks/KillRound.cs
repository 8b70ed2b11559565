using System.Diagnostics;
using Failover.Storage.Client;
using Failover.TestHost;

namespace Failover.Benchmarks;

/// <summary>
/// One kill: a fresh grain activated on the oldest silo (through a client whose only gateway is that silo), reached
/// through the others, then kill -9 of its silo and calls through the survivors until one is answered.
/// </summary>
internal sealed class KillRound(SiloProcessCluster cluster, string grainKey, TimeSpan limit)
{
    private static readonly TimeSpan s_retryPause = TimeSpan.FromMilliseconds(10);

    public SiloProcess Victim { get; } = cluster.Running[0];

    /// <summary>From the kill to the first answer; null when none came within the limit.</summary>
    public TimeSpan? Answered { get; private set; }

    public string? AnsweredBy { get; private set; }

    public int FailedCalls { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The write made on the victim was read back on the survivor.</summary>
    public bool StateKept { get; private set; }

    public async Task<KillRound> RunAsync(CancellationToken cancellationToken)
    {
        var survivors = cluster.Running.Where(s => s != Victim).ToList();
        await using (var onVictim = await ConnectAsync([Victim], cancellationToken))
        {
            var placed = onVictim.GetGrain<ILocatorGrain>(grainKey);
            Expect(await placed.Where(), Victim.Node, "activated through the victim's gateway");
            Expect(await placed.Increment(), 1, "first write");
        }

        await using var viaSurvivors = await ConnectAsync(survivors, cancellationToken);
        var grain = viaSurvivors.GetGrain<ILocatorGrain>(grainKey);
        Expect(await grain.Where(), Victim.Node, "reached through a survivor before the kill");

        var killedAt = Stopwatch.GetTimestamp();
        cluster.Kill(Victim);
        while (Stopwatch.GetElapsedTime(killedAt) < limit)
        {
            try
            {
                var node = await grain.Where();
                Answered = Stopwatch.GetElapsedTime(killedAt);
                AnsweredBy = node;
                break;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                FailedCalls++;
                LastError = $"{exception.GetType().Name}: {exception.Message}";
            }

            await Task.Delay(s_retryPause, cancellationToken);
        }

        if (Answered is not null)
        {
            if (AnsweredBy == Victim.Node)
            {
                throw new InvalidOperationException($"grain {grainKey} answered from {Victim.Node} after it was killed");
            }

            StateKept = await grain.Get() == 1;
        }

        return this;
    }

    private async Task<ClusterClient> ConnectAsync(IReadOnlyList<SiloProcess> gateways, CancellationToken cancellationToken) =>
        await ClusterClient.ConnectAsync(
            new ClusterClientOptions { ClusterId = cluster.ClusterId, Gateways = [.. gateways.Select(g => g.Endpoint)] },
            cancellationToken: cancellationToken);

    private void Expect<T>(T actual, T expected, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
        {
            throw new InvalidOperationException($"grain {grainKey} on {Victim.Node}: {what}: expected {expected}, got {actual}");
        }
    }
}
