using System.Globalization;
using Failover.Storage;
using Failover.Storage.Membership;
using Failover.Testing;
using Orleans.Runtime;

namespace Failover.Benchmarks;

/// <summary>
/// Silo processes (this program's silo verb, tests/Failover.TestHost or the product's silo, see
/// <see cref="SiloProgram"/>) of one cluster on one database, its service id the same as its cluster id: each
/// started and awaited until its row in Orleans' membership table is Active, killed with SIGKILL, and every one
/// still running killed (by pid) on dispose, when the cluster's membership rows are removed.
/// </summary>
internal sealed class SiloProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly List<SiloProcess> _silos = [];
    private readonly string _database;
    private readonly SiloProgram _program;
    private readonly IClusterDatabase _clusterDatabase;
    private readonly IMembershipRows _membership;
    private int _started;

    public SiloProcessCluster(string database, string clusterId, SiloProgram program)
    {
        _database = database;
        _program = program;
        ClusterId = clusterId;
        _clusterDatabase = ClusterDatabase.Open(DatabaseLocation.Parse(database));
        _membership = _clusterDatabase.CreateMembershipRows(clusterId);
    }

    public string ClusterId { get; }

    public string ServiceId => ClusterId;

    /// <summary>The silos not killed, oldest first.</summary>
    public IReadOnlyList<SiloProcess> Running => [.. _silos.Where(s => !s.Killed)];

    /// <summary>The tables, so membership can be read before the first silo has created them.</summary>
    public async Task ApplySchemaAsync(CancellationToken cancellationToken) => await _clusterDatabase.ApplySchemaAsync(cancellationToken);

    /// <summary>
    /// Starts a silo for <paramref name="node"/> (default: a new name); fresh ports every time. <paramref name="environment"/>
    /// is added to the process's environment (the jobs it starts inherit it).
    /// </summary>
    public async Task<SiloProcess> StartSiloAsync(CancellationToken cancellationToken, string? node = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        _started++;
        node ??= $"node-{_started}";
        var (port, gatewayPort) = (FreePorts.Next(), FreePorts.Next());
        string[] args =
        [
            .. _program.Verb,
            "--node", node,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture),
            "--database", _database,
            "--cluster-id", ClusterId,
            "--service-id", ServiceId,
            .. _program.ExtraArguments,
        ];
        var silo = new SiloProcess(node, port, gatewayPort, ProcessRunner.Start(_program.Dll, environment ?? new Dictionary<string, string>(), args));
        _silos.Add(silo);
        await Poll.UntilAsync(
            async ct => NotExited(silo) && await RowAsync(silo, ct) is { Status: SiloStatus.Active },
            s_startTimeout,
            $"{silo} is Active",
            cancellationToken);
        return silo;
    }

    /// <summary>kill -9: the process gets no chance to write anything.</summary>
    public void Kill(SiloProcess silo)
    {
        silo.Process.Signal(Signals.SigKill);
        silo.Killed = true;
    }

    public Task WaitUntilDeadAsync(SiloProcess silo, TimeSpan timeout, CancellationToken cancellationToken) =>
        Poll.UntilAsync(
            async ct => await RowAsync(silo, ct) is null or { Status: SiloStatus.Dead },
            timeout,
            $"{silo} is Dead in the membership table",
            cancellationToken);

    /// <summary>
    /// When the survivors declared <paramref name="silo"/> Dead: the last suspicion vote on its Dead row (Orleans
    /// writes the declaring silo's vote, stamped with its clock, in the same update as the status). Null when its row
    /// is not Dead or carries no vote.
    /// </summary>
    public async Task<DateTime?> DeclaredDeadAsync(SiloProcess silo, CancellationToken cancellationToken) =>
        await RowAsync(silo, cancellationToken) is { Status: SiloStatus.Dead, SuspectTimes.Count: > 0 } row
            ? row.SuspectTimes.Max(v => v.Time)
            : null;

    /// <summary>The silos that voted <paramref name="silo"/> Dead, by node, as its row says; or its status when not Dead.</summary>
    public async Task<string> DescribeDeathAsync(SiloProcess silo, CancellationToken cancellationToken)
    {
        var rows = await _membership.ReadAllAsync(cancellationToken);
        var row = rows.Entries.FirstOrDefault(e => e.Address.Endpoint.Port == silo.Endpoint.Port);
        if (row is null)
        {
            return $"{silo.Node} has no row in the membership table";
        }

        if (row.Status != SiloStatus.Dead)
        {
            return $"{silo.Node} is {row.Status} in the membership table";
        }

        var voters = row.SuspectTimes.Select(v =>
            $"{rows.Entries.FirstOrDefault(e => e.Address.Equals(v.Voter))?.SiloName ?? v.Voter.ToParsableString()} at {v.Time:HH:mm:ss.fff}");
        return $"{silo.Node} was declared Dead by {(row.SuspectTimes.Count == 0 ? "nobody (no vote on its row)" : string.Join(", ", voters))}";
    }

    /// <summary>
    /// The warnings and errors each silo logged (beyond Orleans' start-up note on the lowered reminder period): a
    /// lapsed node lease or a starved silo explains a bad figure.
    /// </summary>
    public void WriteWarnings(TextWriter output)
    {
        foreach (var silo in _silos)
        {
            var lines = silo.Process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => (l.Contains(" warn: ", StringComparison.Ordinal) || l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal))
                    && !l.Contains("MinimumReminderPeriod", StringComparison.Ordinal))
                .ToList();
            if (lines.Count > 0)
            {
                output.WriteLine($"  {silo.Node} logged {lines.Count} warnings or errors; the last: {lines[^1].Trim()}");
            }
        }
    }

    /// <summary>Runs a benchmark on this cluster; when it fails, writes what the silos said last first.</summary>
    public async Task<T> ExplainFailureAsync<T>(Func<Task<T>> benchmark, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            return await benchmark();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            WriteLastLines(output);
            throw;
        }
    }

    /// <summary>What the silos said last (stdout and stderr): what explains a failure.</summary>
    public void WriteLastLines(TextWriter output, int lines = 25)
    {
        foreach (var silo in _silos)
        {
            output.WriteLine($"  last lines of {silo}{(silo.Killed ? ", killed" : silo.Process.HasExited ? $", exited with code {silo.Process.ExitCode}" : "")}:");
            var log = (silo.Process.StandardOutput + silo.Process.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in log.TakeLast(lines))
            {
                output.WriteLine($"    {line}");
            }
        }
    }

    /// <summary>Kills the silos still running, then removes this throwaway cluster's membership rows (a lone silo killed stays Active there forever).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.Process.DisposeAsync();
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _membership.DeleteClusterAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The rows only clutter the table; the run's figures stand.
        }

        await _clusterDatabase.DisposeAsync();
    }

    private async Task<MembershipRow?> RowAsync(SiloProcess silo, CancellationToken cancellationToken) =>
        (await _membership.ReadAllAsync(cancellationToken)).Entries.FirstOrDefault(e => e.SiloName == silo.Node && e.Address.Endpoint.Port == silo.Endpoint.Port);

    private static bool NotExited(SiloProcess silo) => !silo.Process.HasExited
        ? true
        : throw new InvalidOperationException(
            $"silo {silo.Node} exited with code {silo.Process.ExitCode} while starting: {silo.Process.StandardError}{silo.Process.StandardOutput}");
}
