using System.Collections.Concurrent;
using System.Reflection;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Failover.Hosting.Clients;
using Failover.Storage;
using Orleans;

namespace Failover.Benchmarks.Peers.Failover;

/// <summary>
/// Orleans.Failover in the comparison: three processes of the product's silo (silo/) on a database of their own, a
/// client of the product's own (<see cref="FailoverClient"/>) submitting orders to the job dispatcher. The no-op job is
/// the builtin <c>noop</c>, run inside the subagent like the peers' no-op methods; it writes no run log line, so its
/// start is read from the order's history instead.
/// </summary>
internal sealed class FailoverPeer : IPeerSystem
{
    private readonly PeerDatabase _database;
    private readonly SiloProcessCluster _cluster;
    private readonly Dictionary<string, SiloProcess> _silos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SiloProcess> _killed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PeerJobKind> _kinds = new(StringComparer.Ordinal);
    private readonly IClusterDatabase _orderDatabase;
    private readonly OrderStore _orders;
    private FailoverClient? _client;

    private FailoverPeer(PeerDatabase database, RunLog runs)
    {
        _database = database;
        Runs = runs;
        _cluster = new SiloProcessCluster($"postgres:{database.ConnectionString}", $"peers-{Guid.NewGuid():N}"[..20], SiloProgram.Silo(null));
        _orderDatabase = ClusterDatabase.Open(Location);
        _orders = new OrderStore(_orderDatabase.CreateRecordStore(_cluster.ServiceId));
    }

    public string Name => $"Orleans.Failover (Orleans {OrleansVersion})";

    public string Configuration => PeerNodeArguments.Defaults;

    public IReadOnlyList<string> Settings =>
    [
        $"Microsoft.Orleans.Server = {OrleansVersion}; the product's silo (silo/) with its defaults (membership, node lease, directory)",
        $"agent cluster: directors node-a (primary) and node-b, heartbeat = {DurationText.Format(AgentClusterSpec.DefaultHeartbeat)}, heartbeatTimeout = {DurationText.Format(AgentClusterSpec.DefaultHeartbeatTimeout)} (defaults)",
        "subagents: one per node, processLimit = 256; subagent clusters of equal priorities (round-robin)",
        "noop job = builtin noop (in the subagent); its start is taken as the order's Finished entry (the end, reported to the dispatcher): an upper bound",
        "short and long jobs = /bin/bash processes that append their start to the run log; long is restartable = true",
        "submit = IJobDispatcherGrain.Submit: returns once the order is durable (and dispatched when a subagent is free)",
    ];

    public IReadOnlyList<string> Nodes => FailoverPeerTopology.Nodes;

    public RunLog Runs { get; }

    private static string OrleansVersion =>
        typeof(IGrain).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+', '.', ' ')[..3] is [var major, var minor, var patch]
            ? $"{major}.{minor}.{patch}"
            : "?";

    private FailoverClient Client => _client ?? throw new InvalidOperationException("the cluster is not started");

    public static async Task<IPeerSystem> CreateAsync(PeerContext context, CancellationToken cancellationToken)
    {
        var database = await PeerDatabase.CreateAsync(context.ServerConnectionString, "failover", cancellationToken);
        return new FailoverPeer(database, new RunLog(Path.Combine(context.WorkDirectory.FullName, "failover-runs")));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _cluster.ApplySchemaAsync(cancellationToken);
        foreach (var node in Nodes)
        {
            await StartSiloAsync(node, cancellationToken);
        }

        _client = await FailoverClient.ConnectAsync(Location, _cluster.ClusterId, cancellationToken);
        await Client.GetGrain<ITopologyGrain>(ITopologyGrain.Key).Apply(FailoverPeerTopology.Json()).WaitAsync(cancellationToken);
        foreach (var dispatcher in new[] { FailoverPeerTopology.Workers, FailoverPeerTopology.LongWorkers })
        {
            await HearsAllSubagentsAsync(dispatcher, cancellationToken);
        }
    }

    public async Task SubmitAsync(string jobId, PeerJobKind kind, CancellationToken cancellationToken)
    {
        _kinds[jobId] = kind;
        var result = await Dispatcher(kind)
            .Submit(new OrderRequest { Id = jobId, Job = FailoverPeerTopology.JobOf(kind) })
            .WaitAsync(cancellationToken);
        if (!result.Accepted)
        {
            throw new InvalidOperationException($"order {jobId} refused: {result.Refusal}");
        }
    }

    public void Kill(string node)
    {
        if (!_silos.Remove(node, out var silo))
        {
            throw new InvalidOperationException($"{node} is not running");
        }

        _cluster.Kill(silo);
        _killed[node] = silo;
    }

    /// <summary>A new silo for the node, once the killed one is Dead in the membership table (a node has one live silo at a time).</summary>
    public async Task RestartAsync(string node, CancellationToken cancellationToken)
    {
        if (_killed.Remove(node, out var killed))
        {
            await _cluster.WaitUntilDeadAsync(killed, TimeSpan.FromMinutes(2), cancellationToken);
        }

        await StartSiloAsync(node, cancellationToken);
        foreach (var dispatcher in new[] { FailoverPeerTopology.Workers, FailoverPeerTopology.LongWorkers })
        {
            await HearsAllSubagentsAsync(dispatcher, cancellationToken);
        }
    }

    /// <summary>
    /// From the stored order alone: an order is durable in every state it reports, and a call to a dispatcher whose
    /// silo was just killed would wait for the client's response timeout.
    /// </summary>
    public async Task<string?> ReportedFailureAsync(string jobId, CancellationToken cancellationToken)
    {
        var order = (await _orders.ReadAsync(jobId, cancellationToken))?.Order;
        return order is { State: OrderState.Failed or OrderState.Cancelled }
            ? $"{order.State} ({order.Reason}): {order.History[^1].Detail}"
            : null;
    }

    /// <summary>No-op orders: once the dispatcher of the no-op jobs holds no open order, every one of them ran (and ended).</summary>
    public async Task<bool> AllStartedAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        if (jobIds.All(id => _kinds.GetValueOrDefault(id) == PeerJobKind.Noop))
        {
            return await Dispatcher(PeerJobKind.Noop).GetStatus().WaitAsync(cancellationToken) is { Pending: 0, Processing: 0 };
        }

        Runs.Refresh();
        return Runs.StartedOf(jobIds) == jobIds.Count;
    }

    public async Task<DateTime?> FirstStartAsync(string jobId, CancellationToken cancellationToken)
    {
        if (_kinds.GetValueOrDefault(jobId) == PeerJobKind.Noop)
        {
            var order = await ReadOrderAsync(jobId, cancellationToken);
            return order?.History.FirstOrDefault(h => h.State == OrderState.Finished)?.Time;
        }

        Runs.Refresh();
        return Runs.StartsOf(jobId) is [var first, ..] ? first.Time : null;
    }

    /// <summary>What the silos said last: what explains a failure.</summary>
    public void WriteLastLines(TextWriter output) => _cluster.WriteLastLines(output);

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        await _cluster.DisposeAsync();
        await _orderDatabase.DisposeAsync();
        await _database.DisposeAsync();
    }

    private DatabaseLocation Location => DatabaseLocation.Parse($"postgres:{_database.ConnectionString}");

    /// <summary>An open order as its dispatcher holds it; an ended one (which the dispatcher no longer holds) as stored.</summary>
    private async Task<OrderRecord?> ReadOrderAsync(string jobId, CancellationToken cancellationToken) =>
        await Dispatcher(_kinds.GetValueOrDefault(jobId)).GetOrder(jobId).WaitAsync(cancellationToken)
            ?? (await _orders.ReadAsync(jobId, cancellationToken))?.Order;

    private IJobDispatcherGrain Dispatcher(PeerJobKind kind) => Client.GetGrain<IJobDispatcherGrain>(FailoverPeerTopology.DispatcherOf(kind));

    private async Task StartSiloAsync(string node, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            [FailoverPeerTopology.NodeVariable] = node,
            [FailoverPeerTopology.RunsVariable] = Runs.Directory,
        };
        _silos[node] = await _cluster.StartSiloAsync(cancellationToken, node, environment);
    }

    private async Task HearsAllSubagentsAsync(string dispatcherKey, CancellationToken cancellationToken)
    {
        var dispatcher = Client.GetGrain<IJobDispatcherGrain>(dispatcherKey);
        await Poll.UntilAsync(
            async ct => await dispatcher.GetStatus().WaitAsync(ct) is { Leading: true } status
                && status.Subagents.Count == Nodes.Count && status.Subagents.All(s => s.Available),
            TimeSpan.FromSeconds(60), $"the dispatcher {dispatcherKey} is led and hears all three subagents", cancellationToken);
    }
}
