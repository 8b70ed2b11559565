using System.Text.RegularExpressions;
using Failover.Agents.DirectorClusters;

namespace Failover.Benchmarks;

/// <summary>
/// One kill of the director fail-over benchmark: once the agent cluster is Coupled and its active instance logs that
/// it acts with the current epoch E, kill -9 of the active's silo at T0 (UTC wall clock), then until the standby's silo
/// logs <c>ACTING as active with epoch E+1</c>. On the way it notes when the witness logged the fail-over and when the
/// witness's view (polled through a client) first showed it; afterwards, when a survivor declared the victim Dead (its
/// vote in the membership table).
/// </summary>
internal sealed class DirectorKillRound(
    SiloProcessCluster cluster, IReadOnlyDictionary<string, SiloProcess> silos, IDirectorClusterGrain witness, TimeSpan limit)
{
    public const string WitnessNode = "node-c";

    private static readonly TimeSpan s_pollPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_coupledTimeout = TimeSpan.FromSeconds(60);

    private const string Agent = DirectorConfiguration.AgentCluster;

    public SiloProcess? Victim { get; private set; }

    public string? VictimInstance { get; private set; }

    /// <summary>The epoch the killed active acted with.</summary>
    public long Epoch { get; private set; }

    /// <summary>Kill → the standby's silo logs that it acts with epoch E+1; null when that did not happen within the limit.</summary>
    public double? ActingMs { get; private set; }

    /// <summary>Kill → the witness's <see cref="IDirectorClusterGrain.GetView"/> first answered FailedOver with epoch E+1.</summary>
    public double? ViewMs { get; private set; }

    /// <summary>Kill → the witness logged the failed-over event (its decision, written to the database first).</summary>
    public double? WitnessDecidedMs { get; private set; }

    /// <summary>Kill → a survivor wrote the victim Dead into the membership table (the last vote on its row).</summary>
    public double? DeclaredDeadMs { get; private set; }

    public string? LastError { get; private set; }

    public async Task<DirectorKillRound> RunAsync(CancellationToken cancellationToken)
    {
        var view = await WaitUntilCoupledAsync(cancellationToken);
        Epoch = view.Epoch;
        VictimInstance = view.Active;
        var victim = silos[view.ActiveNode];
        var standby = silos[view.Instances.Single(i => i.Instance == view.Standby).Node];
        var witnessSilo = silos[WitnessNode];
        if (victim == witnessSilo || standby == witnessSilo)
        {
            throw new InvalidOperationException($"the witness's node {WitnessNode} is a director of {Agent}");
        }

        Victim = victim;
        var standbyFrom = SiloLog.Length(standby);
        var witnessFrom = SiloLog.Length(witnessSilo);
        var acting = new Regex($@"Director {Agent}/{view.Standby} ACTING as active with epoch {Epoch + 1} ");
        var killedAt = DateTime.UtcNow;
        cluster.Kill(victim);
        while (DateTime.UtcNow - killedAt < limit && (ActingMs is null || ViewMs is null))
        {
            if (!witnessSilo.Killed && witnessSilo.Process.HasExited)
            {
                // Two failures at once is not what this benchmark measures: the kill is discarded.
                throw new SiloExitedException(witnessSilo);
            }

            if (ActingMs is null && standby.Process.HasExited)
            {
                LastError = $"the standby's silo {standby} exited";
                break;
            }

            if (ActingMs is null && SiloLog.First(standby, standbyFrom, acting, killedAt) is { } actingAt)
            {
                ActingMs = Since(killedAt, actingAt);
            }

            if (ViewMs is null)
            {
                await PollViewAsync(view, killedAt);
            }

            await Task.Delay(s_pollPause, cancellationToken);
        }

        // The witness may have decided on the heartbeat timeout before the membership had the victim Dead: wait for that.
        try
        {
            await cluster.WaitUntilDeadAsync(victim, limit, cancellationToken);
            DeclaredDeadMs = Since(killedAt, await cluster.DeclaredDeadAsync(victim, cancellationToken));
        }
        catch (TimeoutException)
        {
            LastError ??= $"{victim.Node} never Dead in the membership table";
        }

        var decided = new Regex($@"Director cluster {Agent}: {DirectorEventKinds.FailedOver}: .* epoch {Epoch + 1}$");
        WitnessDecidedMs = Since(killedAt, SiloLog.First(witnessSilo, witnessFrom, decided, killedAt));
        if (ActingMs is not null && WitnessDecidedMs is null)
        {
            throw new InvalidOperationException($"the fail-over of {Agent} was not decided on {WitnessNode}: the witness is not where the benchmark assumes");
        }

        return this;
    }

    /// <summary>Coupled, both instances heard, and the active's silo has logged that it acts with the current epoch.</summary>
    private async Task<DirectorClusterView> WaitUntilCoupledAsync(CancellationToken cancellationToken)
    {
        DirectorClusterView? ready = null;
        string? last = null;
        try
        {
            await Poll.UntilAsync(
                async ct =>
                {
                    SiloExitedException.ThrowIfAnyExited(silos.Values);
                    try
                    {
                        var view = await witness.GetView().WaitAsync(ct);
                        last = $"{view.State}, active {view.Active}, epoch {view.Epoch}, instances {string.Join(", ", view.Instances.Select(i => $"{i.Instance} {i.Role} heard {i.LastHeartbeatAgeMs} ms ago"))}";
                        if (!view.Coupled || view.SwitchPending || view.Instances.Any(i => i.Role == "gone" || i.LastHeartbeatAgeMs is null)
                            || !silos.TryGetValue(view.ActiveNode, out var active)
                            || !SiloLog.Contains(active, new Regex($@"Director {Agent}/{view.Active} ACTING as active with epoch {view.Epoch} ")))
                        {
                            return false;
                        }

                        ready = view;
                        return true;
                    }
                    catch (Exception exception) when (!ct.IsCancellationRequested)
                    {
                        last = $"{exception.GetType().Name}: {exception.Message}";
                        return false;
                    }
                },
                s_coupledTimeout,
                $"{Agent} is Coupled with an acting active",
                cancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message}; last view: {last}", exception);
        }

        return ready!;
    }

    private async Task PollViewAsync(DirectorClusterView before, DateTime killedAt)
    {
        try
        {
            var view = await witness.GetView();
            if (view.State == nameof(DirectorClusterState.FailedOver) && view.Epoch > before.Epoch && view.Active == before.Standby)
            {
                ViewMs = Since(killedAt, DateTime.UtcNow);
            }
        }
        catch (Exception exception)
        {
            LastError = $"{exception.GetType().Name}: {exception.Message}";
        }
    }

    private static double? Since(DateTime killedAt, DateTime? time) => time is { } t ? (t - killedAt).TotalMilliseconds : null;
}
