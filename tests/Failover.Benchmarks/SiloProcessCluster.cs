using System.Globalization;
using Failover.Storage.Membership;
using Failover.Storage;
using Failover.Testing;

namespace Failover.Benchmarks;

/// <summary>
/// Silo processes (tests/Failover.TestHost or the product's silo, see <see cref="SiloProgram"/>) of one cluster on one
/// database: each started and awaited until its row is Active, killed with SIGKILL, and every one still running killed
/// on dispose.
/// </summary>
internal sealed class SiloProcessCluster(string database, string clusterId, SiloProgram program) : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly List<SiloProcess> _silos = [];
    private readonly IClusterDatabase _database = ClusterDatabase.Open(DatabaseLocation.Parse(database));
    private int _started;

    /// <summary>The silos not killed, oldest first.</summary>
    public IReadOnlyList<SiloProcess> Running => [.. _silos.Where(s => !s.Killed)];

    public string ClusterId => clusterId;

    /// <summary>The tables, so membership can be read before the first silo has created them.</summary>
    public async Task ApplySchemaAsync(CancellationToken cancellationToken) => await _database.ApplySchemaAsync(cancellationToken);

    /// <summary>Starts a silo for <paramref name="node"/> (default: a new name); a fresh port every time.</summary>
    public async Task<SiloProcess> StartSiloAsync(CancellationToken cancellationToken, string? node = null)
    {
        _started++;
        node ??= $"node-{_started}";
        var port = FreePorts.Next();
        string[] args =
        [
            "--node", node,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--database", database,
            "--cluster-id", clusterId,
            .. program.ExtraArguments,
        ];
        var silo = new SiloProcess(node, port, ProcessRunner.Start(program.Dll, args));
        _silos.Add(silo);
        await Poll.UntilAsync(
            async ct => NotExited(silo) && (await ReadAsync(ct)).Any(e => e.SiloName == node && e.Status == SiloStatus.Active),
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
            async ct => (await ReadAsync(ct)).Where(e => e.SiloName == silo.Node).All(e => e.Status == SiloStatus.Dead),
            timeout,
            $"{silo} is Dead in the membership table",
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.Process.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private async Task<IReadOnlyList<MembershipEntry>> ReadAsync(CancellationToken cancellationToken) =>
        (await _database.CreateMembershipTable(clusterId).ReadAllAsync(cancellationToken)).Entries;

    private static bool NotExited(SiloProcess silo) => !silo.Process.HasExited
        ? true
        : throw new InvalidOperationException(
            $"silo {silo.Node} exited with code {silo.Process.ExitCode} while starting: {silo.Process.StandardError}{silo.Process.StandardOutput}");
}
