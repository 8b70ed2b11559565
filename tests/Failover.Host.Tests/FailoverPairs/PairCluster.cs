using System.Globalization;
using System.Text.Json;
using Failover.Host.Tests.Faults;
using Orleans.Runtime;
using Failover.Testing;
using Xunit.Abstractions;

namespace Failover.Host.Tests.FailoverPairs;

/// <summary>
/// A pair on real silo processes: node-c (central: no pair, hosts the witness), node-a (primary) and node-b (secondary),
/// each with its own data directory and key pair, managing <c>demo.agent</c> — a shell that writes its pid to
/// <c>agent-NODE.pid</c> and sleeps. Waits only by polling against a deadline; disposing kills what still runs.
/// </summary>
public sealed class PairCluster : IAsyncDisposable
{
    public const string Identity = "demo.agent";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(45);

    private readonly Dictionary<string, PairSilo> _silos = new(StringComparer.Ordinal);
    private readonly List<PairSilo> _earlier = [];
    private readonly ITestOutputHelper _output;
    private bool _forkGrandchild;

    private PairCluster(FaultDatabase database, ITestOutputHelper output)
    {
        Database = database;
        _output = output;
    }

    public FaultDatabase Database { get; }

    public TestDirectory Directory { get; } = new();

    public PairSilo this[string node] => _silos[node];

    /// <param name="secondaryTrustsKeyOf">Whose key node-b puts in remote_serverkey: node-a (right) or another silo's (wrong).</param>
    /// <param name="databaseOfA">node-a's --database (e.g. through a proxy the test cuts); the cluster's when null.</param>
    /// <param name="peerTimeout">The pair's <c>timeout</c> in seconds: how long without a peer heartbeat (every second) counts as peer down.</param>
    /// <param name="forkGrandchild">The managed agent first starts a grandchild (a <c>sleep</c> in the background, its pid in
    /// <c>grandchild-NODE.pid</c>), then waits.</param>
    public static async Task<PairCluster> StartAsync(
        FaultDatabase database, ITestOutputHelper output, bool simple = false, string secondaryTrustsKeyOf = "node-a", string? databaseOfA = null,
        int peerTimeout = 2, bool forkGrandchild = false)
    {
        var cluster = new PairCluster(database, output) { _forkGrandchild = forkGrandchild };
        try
        {
            var ports = new Dictionary<string, SiloPorts> { ["node-a"] = SiloPorts.Next(), ["node-b"] = SiloPorts.Next(), ["node-c"] = SiloPorts.Next() };
            var keys = new Dictionary<string, string>();
            foreach (var node in new[] { "node-a", "node-b", "node-x" })
            {
                keys[node] = await cluster.ShowKeyAsync(node);
            }

            cluster.Start("node-c", ports["node-c"], database.Setting, config: null);
            await cluster.WaitUntilActiveAsync("node-c");
            cluster.Start("node-a", ports["node-a"], databaseOfA ?? database.Setting,
                cluster.WriteConfig("node-a", "primary", simple, ports["node-b"].Http, keys["node-b"], peerTimeout));
            cluster.Start("node-b", ports["node-b"], database.Setting,
                cluster.WriteConfig("node-b", "secondary", simple, ports["node-a"].Http, keys[secondaryTrustsKeyOf], peerTimeout));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>silo show-key</c> for <paramref name="node"/>'s data directory (makes the key pair).</summary>
    public async Task<string> ShowKeyAsync(string node)
    {
        var (exitCode, output, error) = await Programs.RunSiloToExitAsync("show-key", "--data-directory", DataDirectory(node));
        Assert.True(exitCode == 0, $"show-key failed: {error}");
        return output.Trim();
    }

    public string DataDirectory(string node) => Path.Combine(Directory.Path, node);

    /// <summary>Whether the managed agent process that <paramref name="node"/> started last is alive (not a zombie).</summary>
    public bool AgentRunsOn(string node) => AgentProcessId(node) is { } pid && IsAlive(pid);

    public int? AgentProcessId(string node) => ReadPid($"agent-{node}.pid");

    /// <summary>The grandchild the managed agent that <paramref name="node"/> started last forked (with <c>forkGrandchild</c>).</summary>
    public int? GrandchildProcessId(string node) => ReadPid($"grandchild-{node}.pid");

    private int? ReadPid(string name)
    {
        var file = Path.Combine(Directory.Path, name);
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>kill -9 of <paramref name="node"/>'s silo; returns once the process is gone.</summary>
    public async Task KillAsync(string node)
    {
        var silo = _silos[node];
        silo.Kill();
        await silo.WaitForExitAsync(s_deadline);
    }

    /// <summary>Starts <paramref name="node"/> again with the same arguments (after it ended).</summary>
    public void Restart(string node)
    {
        var previous = _silos[node];
        Assert.True(previous.HasExited, $"{node} still runs");
        _earlier.Add(previous);
        _silos[node] = previous.Restart();
    }

    /// <summary><c>client failover-pairs --json</c>: the pair as its witness sees it.</summary>
    public async Task<JsonElement?> ReadPairAsync()
    {
        var (exitCode, output, _) = await Programs.RunClientAsync(
            "failover-pairs", "--json", "--database", Database.Setting, "--cluster-id", Database.ClusterId);
        if (exitCode != 0)
        {
            return null;
        }

        var pairs = JsonDocument.Parse(output).RootElement;
        return pairs.EnumerateArray().Where(p => p.GetProperty("identity").GetString() == Identity).Select(p => (JsonElement?)p.Clone()).FirstOrDefault();
    }

    public Task WaitUntilAsync(Func<bool> condition, string because) =>
        Eventually.True(() => Task.FromResult(condition()), because, s_deadline, Logs);

    public Task WaitUntilAsync(Func<Task<bool>> condition, string because) => Eventually.True(condition, because, s_deadline, Logs);

    public string Logs() =>
        string.Join('\n', _earlier.Concat(_silos.Values).Select(s => $"----- {s.Node}{(s.HasExited ? " (exited)" : "")} -----\n{s.Log}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _earlier.Concat(_silos.Values))
        {
            await silo.DisposeAsync();
        }

        // Agents are bound to their silo's life; one still alive here would be a bug the tests report, not leave behind.
        foreach (var node in new[] { "node-a", "node-b" })
        {
            foreach (var pid in new[] { AgentProcessId(node), GrandchildProcessId(node) }.OfType<int>().Where(IsAlive))
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
        }

        try
        {
            _output.WriteLine(Logs());
        }
        catch (InvalidOperationException)
        {
        }

        Directory.Dispose();
    }

    private async Task WaitUntilActiveAsync(string node) =>
        await WaitUntilAsync(
            async () => (await Database.ReadMembershipAsync()).Entries.Any(e => e.SiloName == node && e.Status == SiloStatus.Active),
            $"{node} is Active");

    /// <summary>
    /// Starts <paramref name="node"/>'s silo. Every one has an HTTP port: a pair's peer heartbeats go to the peer silo's
    /// HTTP port (its <c>remote_vip</c>).
    /// </summary>
    private void Start(string node, SiloPorts ports, string database, string? config)
    {
        List<string> args =
        [
            "--node", node, "--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}", "--http-port", $"{ports.Http}",
            "--database", database, "--cluster-id", Database.ClusterId, "--service-id", Database.ServiceId, "--data-directory", DataDirectory(node),
        ];
        if (config is not null)
        {
            args.AddRange(["--config", config]);
        }

        _silos[node] = PairSilo.Start(node, ports, [.. args]);
    }

    /// <param name="peerHttpPort">The peer silo's HTTP port, where this side's heartbeats go (<c>remote_vip</c>).</param>
    private string WriteConfig(string node, string agentId, bool simple, int peerHttpPort, string peerKey, int peerTimeout)
    {
        var pairFile = Path.Combine(Directory.Path, $"pair-{node}.json");
        File.WriteAllText(pairFile, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["agent_id"] = agentId,
            ["simple_behavior"] = simple,
            ["remote_vip"] = $"tcp://127.0.0.1:{peerHttpPort}",
            ["remote_serverkey"] = peerKey,
            ["agent_vip_identity"] = Identity,
            ["heartbeat_period"] = 1,
            ["timeout"] = peerTimeout,
        }));
        var siloFile = Path.Combine(Directory.Path, $"silo-{node}.json");
        // The grandchild's pid is written before the agent's: once the agent's pid file names a live process, the
        // grandchild's names the one this agent forked. It lets go of the silo's output, which a leftover would hold open.
        var script = _forkGrandchild
            ? $"sleep 100000 >/dev/null 2>&1 </dev/null & echo $! > \"{Directory.Path}/grandchild-$FAILOVER_NODE.pid\"; echo $$ > \"{Directory.Path}/agent-$FAILOVER_NODE.pid\"; wait"
            : $"echo $$ > \"{Directory.Path}/agent-$FAILOVER_NODE.pid\"; exec sleep 100000";
        File.WriteAllText(siloFile, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ManagedAgents"] = new Dictionary<string, object> { [Identity] = new { Command = "/bin/sh", Args = new[] { "-c", script } } },
            ["FailoverAgents"] = new[] { pairFile },
        }));
        return siloFile;
    }
}
