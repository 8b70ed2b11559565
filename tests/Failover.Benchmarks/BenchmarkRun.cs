using Failover.Benchmarks.Peers;

namespace Failover.Benchmarks;

/// <summary>
/// Runs the chosen suites one after the other, each on its own database. A suite that fails is reported and the
/// others still run; a cancelled run stops after cleaning up. Either way <see cref="Results"/> holds whatever was
/// measured.
/// </summary>
internal sealed class BenchmarkRun(BenchmarkSettings settings, DirectoryInfo workDirectory, TextWriter progress)
{
    private readonly List<BenchmarkResult> _results = [];
    private readonly Dictionary<string, string> _databases = [];

    private delegate Task<IReadOnlyList<BenchmarkResult>> Suite(BenchmarkDatabase database, CancellationToken cancellationToken);

    public IReadOnlyList<BenchmarkResult> Results => _results;

    /// <summary>What the peers suite measured, system by system (empty unless it ran).</summary>
    public IReadOnlyList<PeerFigures> PeerFigures { get; private set; } = [];

    /// <summary>Which database each part ran on: <c>sqlite</c> or <c>postgres</c>.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    /// <summary>True when some suite failed.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var failed = false;
        try
        {
            foreach (var (name, postgresFromEnvironment, suite) in Parts())
            {
                failed |= !await RunSuiteAsync(name, postgresFromEnvironment, suite, cancellationToken);
            }

            if (settings.Runs(BenchmarkSuite.Peers))
            {
                failed |= !await RunPeersAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.WriteLine("cancelled: the results below are those measured so far");
        }

        return failed;
    }

    private IEnumerable<(string Name, bool PostgresFromEnvironment, Suite Suite)> Parts()
    {
        if (settings.Runs(BenchmarkSuite.Runtime))
        {
            yield return ("runtime", false, (db, ct) => new RuntimeBenchmarks(settings, db, progress).RunAsync(ct));
        }

        if (settings.Runs(BenchmarkSuite.Pairs) && settings.Kills > 0)
        {
            yield return ("pairs", true, (db, ct) => new PairBenchmarks(settings, db, progress).RunAsync(ct));
        }

        if (settings.Runs(BenchmarkSuite.Cluster))
        {
            yield return ("cluster", false, (db, ct) => new ClusterBenchmarks(settings, db, progress).RunAsync(ct));
            foreach (var configuration in settings.Kills > 0 ? FailoverConfiguration.All : [])
            {
                yield return ($"failover-{configuration.Name}", true, (db, ct) => new FailoverBenchmarks(settings, configuration, db, progress).RunAsync(ct));
            }
        }

        if (settings.Runs(BenchmarkSuite.Orders))
        {
            yield return ("orders", true, (db, ct) => new OrderBenchmarks(settings, db, progress).RunAsync(ct));
        }

        if (settings.Runs(BenchmarkSuite.Directors))
        {
            foreach (var configuration in settings.Kills > 0 ? DirectorConfiguration.All : [])
            {
                yield return ($"directors-{configuration.Name}", true, (db, ct) => new DirectorBenchmarks(settings, configuration, db, workDirectory, progress).RunAsync(ct));
            }
        }
    }

    private async Task<bool> RunPeersAsync(CancellationToken cancellationToken)
    {
        var server = settings.Database is { } configured
            ? configured.StartsWith("postgres:", StringComparison.Ordinal) ? configured["postgres:".Length..] : null
            : Environment.GetEnvironmentVariable(BenchmarkDatabase.PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            progress.WriteLine($"error: the peers suite needs a PostgreSQL server: --database postgres:CONNECTION-STRING or {BenchmarkDatabase.PostgresVariable}");
            return false;
        }

        _databases["peers"] = "postgres";
        var peers = new PeerBenchmarks(settings, server, workDirectory, progress);
        try
        {
            _results.AddRange(await peers.RunAsync(cancellationToken));
            return peers.Figures.All(f => f.Error is null);
        }
        finally
        {
            PeerFigures = peers.Figures;
        }
    }

    private async Task<bool> RunSuiteAsync(string name, bool postgresFromEnvironment, Suite suite, CancellationToken cancellationToken)
    {
        try
        {
            await using var database = await BenchmarkDatabase.CreateAsync(settings.Database, postgresFromEnvironment, workDirectory, name, cancellationToken);
            _databases[name] = database.Kind;
            _results.AddRange(await suite(database, cancellationToken));
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            progress.WriteLine($"error: the {name} benchmarks failed: {exception}");
            return false;
        }
    }
}
