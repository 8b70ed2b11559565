using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;

namespace Failover.Benchmarks;

/// <summary>
/// The director fail-over figure: three processes of the product's silo (agents included), a director agent cluster
/// with its primary on node-a, its secondary on node-b and so its witness on node-c; each kill is a kill -9 of the
/// active director's silo, timed until the standby's silo logs that it acts with the new epoch. The killed node's silo
/// is restarted after each kill, so the next kill hits the other node (whichever is active then); node-c is never
/// killed.
/// </summary>
internal sealed class DirectorBenchmarks(
    BenchmarkSettings settings, DirectorConfiguration configuration, BenchmarkDatabase database, DirectoryInfo workDirectory, TextWriter progress)
{
    /// <summary>A kill after which no standby acts within this long counts as failed.</summary>
    private static readonly TimeSpan s_failoverLimit = TimeSpan.FromSeconds(30);

    private static readonly string[] s_nodes = [DirectorKillRound.WitnessNode, "node-a", "node-b"];

    /// <summary>Fresh clusters one run may start, when the witness's silo goes by itself (see <see cref="RunAsync"/>).</summary>
    private const int MaxClusters = 5;

    private readonly List<DirectorKillRound> _measured = [];
    private int _failed;
    private int _unplannedRestarts;
    private int _clusters;
    private int _done;

    /// <summary>
    /// Kills until <see cref="BenchmarkSettings.Kills"/> are done. The witness's silo (node-c) is never killed; should
    /// it stop by itself (declared Dead on a starved machine with tight membership settings), the kill under way is
    /// discarded and a fresh cluster (new cluster and service id: a fresh witness) takes over the remaining kills.
    /// </summary>
    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine($"director fail-over: 3 silo processes (silo/) on {database.Kind}, {settings.Kills} kills, {configuration}");
        var configFile = await WriteSiloConfigAsync(cancellationToken);
        while (_done < settings.Kills)
        {
            if (++_clusters > MaxClusters)
            {
                throw new InvalidOperationException($"the witness's silo stopped by itself in {MaxClusters} clusters in a row; giving up");
            }

            var id = $"directors-{Guid.NewGuid():N}"[..20];
            await using var cluster = new SiloProcessCluster(database.Setting, id, SiloProgram.Silo(configFile));
            await cluster.ApplySchemaAsync(cancellationToken);
            var silos = new Dictionary<string, SiloProcess>(StringComparer.Ordinal);
            try
            {
                await RunKillsAsync(cluster, silos, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // E.g. the client could not connect to node-c, or a kill was discarded: was it because node-c stopped?
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                if (silos.GetValueOrDefault(DirectorKillRound.WitnessNode) is { Killed: false, Process.HasExited: true } witnessSilo)
                {
                    _unplannedRestarts++;
                    progress.WriteLine($"  {configuration.Name}: the witness's silo {witnessSilo} stopped by itself ({CriticalLine(witnessSilo)}); {await cluster.DescribeDeathAsync(witnessSilo, cancellationToken)}; kills so far are kept, the rest run on a fresh cluster");
                    continue;
                }

                // What the silos said last is what explains a failure here.
                foreach (var silo in silos.Values)
                {
                    var lines = silo.Process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    progress.WriteLine($"  last lines of {silo}{(silo.Killed ? ", killed" : "")}:");
                    foreach (var line in lines.TakeLast(25))
                    {
                        progress.WriteLine($"    {line}");
                    }
                }

                throw;
            }
        }

        return Results();
    }

    /// <summary>The kills not done yet, on one cluster.</summary>
    private async Task RunKillsAsync(SiloProcessCluster cluster, Dictionary<string, SiloProcess> silos, CancellationToken cancellationToken)
    {
        foreach (var node in s_nodes)
        {
            silos[node] = await cluster.StartSiloAsync(cancellationToken, node);
        }

        // The client enters through the witness's node only: it is never killed, so no call waits on a killed gateway.
        await using var client = await BenchClient.ConnectAsync(cluster, [silos[DirectorKillRound.WitnessNode]], cancellationToken);
        await WithRestartsAsync(cluster, silos, () => ApplyTopologyAsync(client, silos, cancellationToken), cancellationToken);
        var witness = client.Grains.GetGrain<IDirectorClusterGrain>(DirectorConfiguration.AgentCluster);
        while (_done < settings.Kills)
        {
            DirectorKillRound? kill = null;
            await WithRestartsAsync(
                cluster,
                silos,
                async () => kill = await new DirectorKillRound(cluster, silos, witness, s_failoverLimit).RunAsync(cancellationToken),
                cancellationToken);
            _done++;
            progress.WriteLine($"  {configuration.Name}: kill {_done}/{settings.Kills}: {Describe(kill!)}");
            if (kill!.ActingMs is null)
            {
                _failed++;
            }
            else
            {
                _measured.Add(kill);
            }

            var victim = kill.Victim!;
            await cluster.WaitUntilDeadAsync(victim, s_failoverLimit, cancellationToken);
            if (_done < settings.Kills)
            {
                silos[victim.Node] = await cluster.StartSiloAsync(cancellationToken, victim.Node);
            }
        }
    }

    /// <summary>Why a silo left: its <c>fatal:</c> line on stderr (written before it exits with code 3), else its last critical log line.</summary>
    private static string CriticalLine(SiloProcess silo) =>
        (silo.Process.StandardError.Split('\n').LastOrDefault(l => l.StartsWith("fatal:", StringComparison.Ordinal))
            ?? silo.Process.StandardOutput.Split('\n').LastOrDefault(l => l.Contains("crit:", StringComparison.Ordinal)))?.Trim()
        ?? $"exit code {silo.Process.ExitCode}, no reason logged";

    /// <summary>
    /// Runs <paramref name="step"/> (which kills nothing); when a director node's silo exits by itself meanwhile (with
    /// tight membership settings on a busy machine a starting silo can be declared Dead and stop), restarts that silo
    /// and runs the step again. The witness's node must never go.
    /// </summary>
    private async Task WithRestartsAsync(SiloProcessCluster cluster, Dictionary<string, SiloProcess> silos, Func<Task> step, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step();
                return;
            }
            catch (SiloExitedException exited) when (attempt < 10 && exited.Silo.Node != DirectorKillRound.WitnessNode)
            {
                _unplannedRestarts++;
                await cluster.WaitUntilDeadAsync(exited.Silo, s_failoverLimit, cancellationToken);
                progress.WriteLine($"  {configuration.Name}: {exited.Silo} stopped by itself ({CriticalLine(exited.Silo)}); {await cluster.DescribeDeathAsync(exited.Silo, cancellationToken)}; restarting it");
                silos[exited.Silo.Node] = await cluster.StartSiloAsync(cancellationToken, exited.Silo.Node);
            }
        }
    }

    private List<BenchmarkResult> Results()
    {
        var (rounds, failed) = (_measured, _failed);
        var scenario = $"kill -9 of the active director's silo, 3 silo processes on {database.Kind}, {configuration.Name}";
        var acting = rounds.Select(r => r.ActingMs!.Value).ToList();
        var p99 = Statistics.Percentile(acting, 99);
        var target = configuration.P99TargetMs;
        const string toActing = "kill -> standby acting with epoch+1";
        List<BenchmarkResult> results =
        [
            new(scenario, $"{toActing}, median", Statistics.Median(acting), "ms"),
            new(scenario, $"{toActing}, p90", Statistics.Percentile(acting, 90), "ms"),
            new(scenario, $"{toActing}, p99", p99, "ms", target is { } t ? $"<= {t:N0}" : null, target is null ? null : failed == 0 && p99 <= target),
            new(scenario, $"{toActing}, max", acting.Count == 0 ? double.NaN : acting.Max(), "ms"),
            new(scenario, "kills measured", acting.Count, "kills", ">= 20", acting.Count >= 20),
            new(scenario, $"kills with no standby acting within {s_failoverLimit.TotalSeconds:0} s", failed, "kills", "0", failed == 0),
            new(scenario, "silos that stopped without being killed (restarted)", _unplannedRestarts, "silos"),
            new(scenario, "clusters started (a fresh one when the witness's silo stopped)", _clusters, "clusters"),
        ];
        foreach (var (metric, values) in new (string, IEnumerable<double?>)[]
        {
            ("kill -> declared Dead (last vote)", rounds.Select(r => r.DeclaredDeadMs)),
            ("kill -> witness decides FailedOver (its log)", rounds.Select(r => r.WitnessDecidedMs)),
            ("kill -> witness view shows FailedOver", rounds.Select(r => r.ViewMs)),
        })
        {
            var known = values.OfType<double>().ToList();
            results.Add(new(scenario, $"{metric}, median", Statistics.Median(known), "ms"));
            results.Add(new(scenario, $"{metric}, p99", Statistics.Percentile(known, 99), "ms"));
        }

        return results;
    }

    private static string Describe(DirectorKillRound kill)
    {
        static string Ms(double? value) => value is { } v ? $"{v.ToString("N0", CultureInfo.InvariantCulture)} ms" : "never";
        var killed = $"{kill.Victim!.Node} ({kill.VictimInstance}, epoch {kill.Epoch}) killed";
        return kill.ActingMs is { } acting
            ? $"{killed}; standby acting with epoch {kill.Epoch + 1} after {Ms(acting)} (declared Dead {Ms(kill.DeclaredDeadMs)}; witness decided {Ms(kill.WitnessDecidedMs)}; view {Ms(kill.ViewMs)})"
            : $"{killed}; NO standby acting within {s_failoverLimit.TotalSeconds:0} s (witness decided {Ms(kill.WitnessDecidedMs)}, view {Ms(kill.ViewMs)}; last error: {kill.LastError})";
    }

    /// <summary>
    /// Applies the topology and waits until both director nodes run their instance. (Not "Topology version N in
    /// effect" on every silo: a silo that took the topology when the witness activated on it does not log that line.)
    /// </summary>
    private async Task ApplyTopologyAsync(BenchClient client, IReadOnlyDictionary<string, SiloProcess> silos, CancellationToken cancellationToken)
    {
        // Applying again (after a silo had to be restarted) changes nothing and answers the same version.
        await client.Grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key).Apply(configuration.TopologyJson).WaitAsync(cancellationToken);
        await Poll.UntilAsync(
            _ => Task.FromResult(SiloExitedException.ThrowIfAnyExited(silos.Values)
                .Where(s => s.Node != DirectorKillRound.WitnessNode)
                .All(s => SiloLog.Contains(s, new Regex($@"Director {DirectorConfiguration.AgentCluster}/\w+ runs on node {Regex.Escape(s.Node)}")))),
            TimeSpan.FromSeconds(30),
            "both director nodes run their instance",
            cancellationToken);
    }

    /// <summary>The membership settings as the silo's --config file; null for the defaults.</summary>
    private async Task<string?> WriteSiloConfigAsync(CancellationToken cancellationToken)
    {
        if (configuration.Membership.SiloSettings.Count == 0)
        {
            return null;
        }

        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var setting in configuration.Membership.SiloSettings)
        {
            var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var section = sections.TryGetValue(key[..colon], out var known) ? known : sections[key[..colon]] = [];
            section[key[(colon + 1)..]] = value;
        }

        var path = Path.Combine(workDirectory.FullName, $"directors-{configuration.Name}-silo.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(sections), cancellationToken);
        return path;
    }
}
