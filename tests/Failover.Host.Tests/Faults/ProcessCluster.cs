using Failover.Storage.Membership;
using Failover.Testing;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// Test host silo processes on one <see cref="FaultDatabase"/>. Waits only by polling the tables (or the processes) against
/// a deadline; a timed-out wait fails with every silo's log. Disposing kills whatever still runs and writes the logs to
/// the test output.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    /// <summary>The exit code of a silo that was declared Dead (Failover.Hosting's fatal error handler).</summary>
    private const int ExitOnFatalErrorCode = 3;

    private readonly Dictionary<string, SiloProcess> _silos = new(StringComparer.Ordinal);
    private readonly List<SiloProcess> _earlier = [];
    private readonly ITestOutputHelper _output;

    private ProcessCluster(FaultDatabase database, ITestOutputHelper output)
    {
        Database = database;
        _output = output;
    }

    public FaultDatabase Database { get; }

    public SiloProcess this[string node] => _silos[node];

    /// <summary>Starts one process per node (all at once) and waits until every one is Active.</summary>
    /// <param name="settings"><c>Section:Key=Value</c> for every silo (<c>--set</c>).</param>
    public static Task<ProcessCluster> StartAsync(FaultDatabase database, ITestOutputHelper output, string[] nodes, params string[] settings) =>
        StartAsync(database, output, [.. nodes.Select(node => (node, settings))]);

    /// <summary>Starts one process per node, each with its own <c>Section:Key=Value</c> settings, and waits until every one is Active.</summary>
    public static async Task<ProcessCluster> StartAsync(FaultDatabase database, ITestOutputHelper output, IReadOnlyList<(string Node, string[] Settings)> silos)
    {
        var cluster = new ProcessCluster(database, output);
        try
        {
            foreach (var (node, settings) in silos)
            {
                cluster._silos[node] = SiloProcess.Start(node, database, settings);
            }

            var restarted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in silos.Select(s => s.Node))
            {
                await cluster.WaitUntilAsync(
                    async () =>
                    {
                        if (!cluster[node].HasExited)
                        {
                            return await cluster.FindAsync(node) is { Status: SiloStatus.Active };
                        }

                        // Starved on a loaded machine, a silo still joining may miss its probes for 1.5 s and be declared
                        // Dead by the silos already Active (Orleans probes joining silos too): it exits with code 3. The
                        // tests are about what follows a start, so it is started once more, as an operator would.
                        if (cluster[node].ExitCode == ExitOnFatalErrorCode && restarted.Add(node))
                        {
                            output.WriteLine($"{node} was declared Dead while starting (exit code 3); starting it again");
                            cluster._earlier.Add(cluster[node]);
                            cluster._silos[node] = SiloProcess.Start(node, database, cluster[node].Settings, cluster[node].Ports);
                            return false;
                        }

                        throw new InvalidOperationException($"{node} exited while starting.\n{cluster.Logs()}");
                    },
                    $"{node}'s row is Active");
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="node"/> again on the same port and settings, once its process has ended, and waits for a row
    /// of a later generation to be Active. The indexer then returns the new process.
    /// </summary>
    public async Task<MembershipRow> RestartAsync(string node)
    {
        var previous = _silos[node];
        Assert.True(previous.HasExited, $"{node} still runs");
        var previousGeneration = (await FindAsync(node))?.Address.Generation ?? 0;
        _earlier.Add(previous);
        _silos[node] = SiloProcess.Start(node, Database, previous.Settings, previous.Ports);
        MembershipRow? row = null;
        await WaitUntilAsync(
            async () => (row = await FindAsync(node)) is { Status: SiloStatus.Active } && row.Address.Generation > previousGeneration,
            $"a new incarnation of {node} is Active");
        return row!;
    }

    /// <summary>The newest row of <paramref name="node"/>, once it has <paramref name="status"/>.</summary>
    public async Task<MembershipRow> WaitForStatusAsync(string node, SiloStatus status)
    {
        MembershipRow? row = null;
        await WaitUntilAsync(async () => (row = await FindAsync(node)) is not null && row.Status == status, $"{node}'s row is {status}");
        return row!;
    }

    /// <summary>The newest row of <paramref name="node"/> (the highest generation), if any.</summary>
    public async Task<MembershipRow?> FindAsync(string node) =>
        (await Database.ReadMembershipAsync()).Entries
            .Where(e => e.SiloName == node)
            .MaxBy(e => e.Address.Generation);

    /// <summary>
    /// A client whose only gateway is <paramref name="gateway"/>: the test grains (local placement) it activates are
    /// placed on that silo.
    /// </summary>
    public Task<GrainClient> ConnectClientAsync(SiloProcess gateway) => GrainClient.ConnectAsync(Database.ClusterId, gateway.GatewayEndPoint);

    /// <summary>A client that finds its gateways (Active silos) in the membership table.</summary>
    public Task<GrainClient> ConnectClientAsync() => GrainClient.ConnectAsync(Database.ClusterId, Database.Setting);

    /// <summary>Polls <paramref name="condition"/> until it holds; after the deadline the test fails with every silo's log.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null) =>
        Eventually.True(condition, because, timeout ?? s_deadline, Logs);

    /// <summary>Waits for <paramref name="silo"/> to end on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(SiloProcess silo)
    {
        try
        {
            return await silo.WaitForExitAsync(s_deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{silo.Node} did not exit within {s_deadline}.\n{Logs()}");
            throw;
        }
    }

    /// <summary>Every silo's output so far, for failure messages.</summary>
    public string Logs() =>
        string.Join('\n', _earlier.Concat(_silos.Values).Select(s => $"----- {s.Node} (silo port {s.Ports.Silo}, gateway port {s.Ports.Gateway}){(s.HasExited ? ", exited" : "")} -----\n{s.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _earlier.Concat(_silos.Values))
        {
            await silo.DisposeAsync();
        }

        try
        {
            _output.WriteLine(Logs());
        }
        catch (InvalidOperationException)
        {
            // No test is running any more (the output helper is only valid during the test).
        }
    }
}
