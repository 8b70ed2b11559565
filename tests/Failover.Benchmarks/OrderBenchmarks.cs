using System.Diagnostics;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Failover.Hosting.Clients;

namespace Failover.Benchmarks;

/// <summary>
/// Orders end to end on three processes of the product's silo: a director agent cluster (node-a, node-b), a subagent
/// on each node, one subagent cluster of equal priorities. After uncounted warm-up rounds (at least 30 s), each round
/// submits a burst of orders from 256 concurrent callers of one client and times until every one has ended (the
/// dispatcher holds no open order). Then the latency
/// from submit to Processing: a submission returns once the order is durable, and it is already Processing when a
/// subagent was free, so the client's round trip is that latency.
/// </summary>
internal sealed class OrderBenchmarks(BenchmarkSettings settings, BenchmarkDatabase database, TextWriter progress)
{
    private const int Callers = 256;
    private const int NoopOrders = 6_000;
    private const int ProcessOrders = 600;
    private const int LatencySamples = 500;
    private const int MinWarmUpRounds = 3;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(30);
    private const string Dispatcher = "workers";

    private static readonly string[] s_nodes = ["node-c", "node-a", "node-b"];

    private const string TopologyJson = """
        {"agentClusters":[{"id":"agent-1","directors":{"primary":"node-a","secondary":"node-b"}}],
         "subagents":[{"id":"sub-a","agent":"agent-1","node":"node-a","processLimit":256},
                      {"id":"sub-b","agent":"agent-1","node":"node-b","processLimit":256},
                      {"id":"sub-c","agent":"agent-1","node":"node-c","processLimit":256}],
         "subagentClusters":[{"id":"workers","agent":"agent-1","subagents":{"sub-a":1,"sub-b":1,"sub-c":1}}],
         "jobs":[{"id":"noop","agent":"agent-1","subagentCluster":"workers","builtin":"noop"},
                 {"id":"true","agent":"agent-1","subagentCluster":"workers","command":"/bin/true"}]}
        """;

    public async Task<IReadOnlyList<BenchmarkResult>> RunAsync(CancellationToken cancellationToken)
    {
        progress.WriteLine($"orders: 3 silo processes (silo/) on {database.Kind}, {settings.Rounds} rounds of {NoopOrders} noop and {ProcessOrders} /bin/true orders, {Callers} callers");
        var id = $"orders-{Guid.NewGuid():N}"[..20];
        await using var cluster = new SiloProcessCluster(database.Setting, id, SiloProgram.Silo(null));
        return await cluster.ExplainFailureAsync(() => RunAsync(cluster, id, cancellationToken), progress, cancellationToken);
    }

    private async Task<IReadOnlyList<BenchmarkResult>> RunAsync(SiloProcessCluster cluster, string id, CancellationToken cancellationToken)
    {
        await cluster.ApplySchemaAsync(cancellationToken);
        var silos = new List<SiloProcess>();
        foreach (var node in s_nodes)
        {
            silos.Add(await cluster.StartSiloAsync(cancellationToken, node));
        }

        // The product's client: it finds the gateways in the membership table.
        await using var client = await FailoverClient.ConnectAsync(database.Location, cluster.ClusterId, cancellationToken);
        await client.GetGrain<ITopologyGrain>(ITopologyGrain.Key).Apply(TopologyJson).WaitAsync(cancellationToken);
        // Every silo has the topology once the dispatcher hears the subagents of all three nodes.
        var dispatcher = client.GetGrain<IJobDispatcherGrain>(Dispatcher);
        await Poll.UntilAsync(
            async ct =>
            {
                SiloExitedException.ThrowIfAnyExited(silos);
                return await dispatcher.GetStatus().WaitAsync(ct) is { Leading: true } status
                    && status.Subagents.Count == s_nodes.Length && status.Subagents.All(s => s.Available);
            },
            TimeSpan.FromSeconds(30), "the dispatcher is led and hears all three subagents", cancellationToken);

        await ProbeDatabaseAsync($"probe-{id}", cancellationToken);

        // Fresh silos run their hot paths unoptimized at first (tiered JIT, then PGO) and the new table has no statistics
        // yet: without these uncounted rounds the first rounds showed half the orders/s of the fifth. A silo in service is
        // long warm.
        var warmUp = Stopwatch.StartNew();
        for (var round = 1; round <= MinWarmUpRounds || warmUp.Elapsed < WarmUpTime; round++)
        {
            var warmNoop = await BurstAsync(dispatcher, $"w{round}-noop", "noop", NoopOrders, cancellationToken);
            var warmProcess = await BurstAsync(dispatcher, $"w{round}-true", "true", ProcessOrders / 4, cancellationToken);
            progress.WriteLine($"  warm-up {round} (not counted): noop {warmNoop:0} orders/s, /bin/true {warmProcess:0} orders/s");
        }

        var noop = new List<double>();
        var process = new List<double>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            noop.Add(await BurstAsync(dispatcher, $"r{round}-noop", "noop", NoopOrders, cancellationToken));
            process.Add(await BurstAsync(dispatcher, $"r{round}-true", "true", ProcessOrders, cancellationToken));
            progress.WriteLine($"  round {round}: noop {noop[^1]:0} orders/s, /bin/true {process[^1]:0} orders/s");
        }

        var latencies = await LatencyAsync(dispatcher, cancellationToken);
        progress.WriteLine($"  submit → Processing: p50 {Statistics.Median(latencies):0.00} ms, p99 {Statistics.Percentile(latencies, 99):0.00} ms");
        var noopMedian = Statistics.Median(noop);
        return
        [
            new("orders end-to-end, builtin noop, 3 silos", "orders/s (median of rounds)", noopMedian, "orders/s", ">= 5,000", noopMedian >= 5_000),
            new("orders end-to-end, /bin/true process job, 3 silos", "orders/s (median of rounds)", Statistics.Median(process), "orders/s"),
            new("submit → Processing (durable), sequential", "p50", Statistics.Median(latencies), "ms"),
            new("submit → Processing (durable), sequential", "p99", Statistics.Percentile(latencies, 99), "ms"),
        ];
    }

    /// <summary>Orders per second from the first submission until the dispatcher holds no open order.</summary>
    private async Task<double> BurstAsync(IJobDispatcherGrain dispatcher, string prefix, string job, int count, CancellationToken cancellationToken)
    {
        var next = -1;
        var before = (await dispatcher.GetStatus().WaitAsync(cancellationToken)).Writes;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var result = await dispatcher.Submit(new OrderRequest { Id = $"{prefix}-{index}", Job = job }).WaitAsync(cancellationToken);
                if (!result.Accepted)
                {
                    throw new InvalidOperationException($"order {prefix}-{index} refused: {result.Refusal}");
                }
            }
        }));
        var submitted = clock.Elapsed.TotalSeconds;
        await Poll.UntilAsync(
            async ct => await dispatcher.GetStatus().WaitAsync(ct) is { Pending: 0, Processing: 0 },
            TimeSpan.FromMinutes(2), $"all {count} {job} orders ended", cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var after = (await dispatcher.GetStatus().WaitAsync(cancellationToken)).Writes;
        var batches = after.Batches - before.Batches;
        progress.WriteLine($"    {count} {job} orders: submitted in {submitted:0.00} s, all ended after {seconds:0.00} s; {batches} write batches of {(after.Orders - before.Orders) / (double)Math.Max(1, batches):0.0} orders, {(after.Milliseconds - before.Milliseconds) / Math.Max(1, batches):0.00} ms each");
        return count / seconds;
    }

    private static async Task<List<double>> LatencyAsync(IJobDispatcherGrain dispatcher, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        for (var i = 0; i < LatencySamples; i++)
        {
            var clock = Stopwatch.StartNew();
            var result = await dispatcher.Submit(new OrderRequest { Id = $"latency-{i}", Job = "noop" }).WaitAsync(cancellationToken);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (result.Order?.State is OrderState.Processing or OrderState.Finished)
            {
                latencies.Add(elapsed);
            }
        }

        return latencies;
    }

    /// <summary>What the database alone takes for batches like the dispatcher's, before the silos are busy: the floor under the figures.</summary>
    private async Task ProbeDatabaseAsync(string serviceId, CancellationToken cancellationToken)
    {
        await using var db = Failover.Storage.ClusterDatabase.Open(database.Location);
        var store = db.CreateRecordStore(serviceId);
        var payload = new string('x', 1200);
        const int Batches = 30;
        const int Rows = 100;
        // The first pass warms this process's code paths and the server's plans; the second is timed.
        var insertMs = 0.0;
        var updateMs = 0.0;
        foreach (var pass in new[] { "warm", "timed" })
        {
            var inserts = Stopwatch.StartNew();
            for (var b = 0; b < Batches; b++)
            {
                await store.WriteAsync("probe", [.. Enumerable.Range(0, Rows).Select(r => new Failover.Storage.Records.RecordWrite($"{pass}-{b}-{r}", "p", "Pending", payload, 0))], cancellationToken);
            }

            insertMs = inserts.Elapsed.TotalMilliseconds;
            var updates = Stopwatch.StartNew();
            for (var b = 0; b < Batches; b++)
            {
                await store.WriteAsync("probe", [.. Enumerable.Range(0, Rows).Select(r => new Failover.Storage.Records.RecordWrite($"{pass}-{b}-{r}", "p", "Finished", payload, 1))], cancellationToken);
            }

            updateMs = updates.Elapsed.TotalMilliseconds;
        }

        progress.WriteLine($"  database probe ({Rows} rows a batch): insert {insertMs / Batches:0.00} ms, update {updateMs / Batches:0.00} ms a batch");
    }
}
