using System.Text.Json;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Host.Tests.DirectorClusters;
using Failover.Host.Tests.Faults;
using Failover.Storage;
using Failover.Testing;
using Xunit.Abstractions;

namespace Failover.Host.Tests.Orders;

/// <summary>
/// Orders on three real silo processes (directors on node-a and node-b, the witness on node-c), each node with a
/// subagent: process jobs, cancel, timeout, idempotent submission, and kill -9 of a subagent's silo and of the active
/// director's silo in the middle of jobs.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class OrderProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("failover-orders-").FullName;

    private static readonly string Topology = $$"""
        { "agentClusters": [ { "id": "{{DirectorHarness.Agent}}", "directors": { "primary": "node-a", "secondary": "node-b" } } ],
          "subagents": [ { "id": "sub-a", "agent": "agent-1", "node": "node-a" },
                         { "id": "sub-b", "agent": "agent-1", "node": "node-b" },
                         { "id": "sub-c", "agent": "agent-1", "node": "node-c" } ],
          "subagentClusters": [ { "id": "spread", "agent": "agent-1", "subagents": { "sub-a": 1, "sub-c": 1 } },
                                { "id": "on-a", "agent": "agent-1", "subagents": { "sub-a": 1 } },
                                { "id": "only-c", "agent": "agent-1", "subagents": { "sub-c": 1 } },
                                { "id": "on-b", "agent": "agent-1", "subagents": { "sub-b": 1 } } ],
          "jobs": [ { "id": "hello", "agent": "agent-1", "subagentCluster": "spread", "command": "/bin/sh", "args": ["-c", "echo hello $ORDER_ARG_who"] },
                    { "id": "sleep", "agent": "agent-1", "subagentCluster": "spread", "builtin": "sleep" },
                    { "id": "hold", "agent": "agent-1", "subagentCluster": "spread", "command": "/bin/sh", "args": ["-c", "echo $$ > \"$ORDER_ARG_pidfile\"; exec sleep 60"] },
                    { "id": "hold-b", "agent": "agent-1", "subagentCluster": "on-b", "command": "/bin/sh", "args": ["-c", "sleep 60 & echo $! > \"$ORDER_ARG_pidfile.child\"; echo $$ > \"$ORDER_ARG_pidfile\"; wait"] },
                    { "id": "hold-a", "agent": "agent-1", "subagentCluster": "on-a", "command": "/bin/sh", "args": ["-c", "echo $$ > \"$ORDER_ARG_pidfile\"; exec sleep 60"] },
                    { "id": "hold-c", "agent": "agent-1", "subagentCluster": "only-c", "command": "/bin/sh", "args": ["-c", "echo $$ > \"$ORDER_ARG_pidfile\"; exec sleep 60"] },
                    { "id": "slow", "agent": "agent-1", "subagentCluster": "spread", "command": "/bin/sleep", "args": ["60"], "timeout": "1s" } ] }
        """;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task A_process_job_finishes_with_its_output_and_a_repeated_submission_is_the_same_order()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, Topology);
        var orders = new OrderClient(agents);

        var submitted = await orders.SubmitAsync("first", "hello", ("who", "world"));
        Assert.True(submitted.Accepted, submitted.Refusal);
        Assert.False(submitted.Duplicate);
        var finished = await orders.WaitForAsync("first", o => o.State == OrderState.Finished);
        Assert.Equal(0, finished.ExitCode);
        Assert.Equal("hello world\n", finished.OutputTail);
        Assert.Equal(["Pending", "Processing", "Finished"], finished.History.Select(h => h.State.ToString()).Distinct());

        // The same order again: a duplicate, never a second run. The dispatcher answers with the last write it saw
        // committed, which may trail the database by a moment (the end was written, its acknowledgement not yet seen).
        SubmitResult? again = null;
        await agents.Cluster.WaitUntilAsync(
            async () =>
            {
                again = await orders.SubmitAsync("first", "hello", ("who", "world"));
                Assert.True(again is { Accepted: true, Duplicate: true, Order: not null }, $"a repeated submission is a duplicate: {again}");
                return again.Order!.State == OrderState.Finished;
            },
            "a repeated submission answers the finished order");
        Assert.Equal(finished.Attempt, again!.Order!.Attempt);
        var other = await orders.SubmitAsync("first", "sleep");
        Assert.False(other.Accepted);
        Assert.Contains("already exists", other.Refusal, StringComparison.Ordinal);

        // The same through the client program.
        string[] cluster = ["--database", agents.Database.Setting, "--cluster-id", agents.Database.ClusterId, "--service-id", agents.Database.ServiceId];
        var repeated = await Programs.RunClientAsync(["submit", "hello", "--id", "first", "--arg", "who=world", "--json", .. cluster]);
        Assert.Equal(0, repeated.ExitCode);
        Assert.Contains("\"state\": \"Finished\"", repeated.Output, StringComparison.Ordinal);
        var clash = await Programs.RunClientAsync(["submit", "sleep", "--id", "first", .. cluster]);
        Assert.Equal(1, clash.ExitCode);
        Assert.StartsWith("error: refused: order first already exists for job hello", clash.Error, StringComparison.Ordinal);
        var unknownSubagent = await Programs.RunClientAsync(["enable", "sub-z", .. cluster]);
        Assert.Equal(2, unknownSubagent.ExitCode);
        Assert.StartsWith("error: enable: there is no subagent 'sub-z' in the topology", unknownSubagent.Error, StringComparison.Ordinal);
        var unknown = await Programs.RunClientAsync(["submit", "nosuch", .. cluster]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("error: submit: there is no job 'nosuch' in the topology", unknown.Error, StringComparison.Ordinal);
        var waited = await Programs.RunClientAsync(["submit", "hello", "--id=second", "--arg=who=you", "--wait", .. cluster]);
        Assert.Equal(0, waited.ExitCode);
        Assert.Contains("Finished", waited.Output, StringComparison.Ordinal);
        var failing = await Programs.RunClientAsync(["submit", "slow", "--id", "third", "--wait", .. cluster]);
        Assert.Equal(1, failing.ExitCode);
        Assert.Contains("Failed (Timeout)", failing.Output, StringComparison.Ordinal);
        var shown = await Programs.RunClientAsync(["order", "first", .. cluster]);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains("hello world", shown.Output, StringComparison.Ordinal);
        var listed = await Programs.RunClientAsync(["orders", "--state", "Finished", "--json", .. cluster]);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("\"id\": \"second\"", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"id\": \"third\"", listed.Output, StringComparison.Ordinal);
        var cancelEnded = await Programs.RunClientAsync(["cancel", "first", "--json", .. cluster]);
        Assert.Equal(1, cancelEnded.ExitCode);
        Assert.StartsWith("error: refused: order first is already Finished", cancelEnded.Error, StringComparison.Ordinal);
        var cancelAnswer = JsonDocument.Parse(cancelEnded.Output).RootElement;
        Assert.Equal("first", cancelAnswer.GetProperty("order").GetString());
        Assert.False(cancelAnswer.GetProperty("accepted").GetBoolean());
        Assert.StartsWith("order first is already Finished", cancelAnswer.GetProperty("message").GetString(), StringComparison.Ordinal);
        var cancelMissing = await Programs.RunClientAsync(["cancel", "nosuch", .. cluster]);
        Assert.Equal(1, cancelMissing.ExitCode);
        Assert.StartsWith("error: there is no order 'nosuch'", cancelMissing.Error, StringComparison.Ordinal);
        var subagents = await Programs.RunClientAsync(["subagents", "--json", .. cluster]);
        Assert.Equal(0, subagents.ExitCode);
        Assert.Contains("\"id\": \"sub-c\"", subagents.Output, StringComparison.Ordinal);
        var disabled = await Programs.RunClientAsync(["disable", "sub-c", "--json", .. cluster]);
        Assert.True(disabled.ExitCode == 0, disabled.Error);
        var disableAnswer = JsonDocument.Parse(disabled.Output).RootElement;
        Assert.Equal("sub-c", disableAnswer.GetProperty("subagent").GetString());
        Assert.False(disableAnswer.GetProperty("enabled").GetBoolean());
        Assert.True(disableAnswer.GetProperty("accepted").GetBoolean());
        Assert.NotEmpty(disableAnswer.GetProperty("messages").EnumerateArray());
        Assert.True((await orders.SubmitAsync("on-a-only", "hello", ("who", "a"))).Accepted);
        Assert.Equal("sub-a", (await orders.WaitForAsync("on-a-only", o => o.State == OrderState.Finished)).Subagent);

        // With no subagent available an order waits, and says why at once (the dispatcher's view), not only once the
        // reason is written after a longer wait.
        Assert.Equal(0, (await Programs.RunClientAsync(["disable", "sub-a", .. cluster])).ExitCode);
        var waiting = await Programs.RunClientAsync(["submit", "hello", "--id", "waits", "--arg", "who=later", .. cluster]);
        Assert.Equal(0, waiting.ExitCode);
        Assert.Contains("Pending (waiting: no subagent of cluster spread is available: sub-a disabled, sub-c disabled)", waiting.Output, StringComparison.Ordinal);
        // `order` asks the dispatcher for 3 s and otherwise shows the stored record, which gets the reason a little later:
        // on a loaded machine either may be what answers first.
        await Eventually.True(
            async () => (await Programs.RunClientAsync(["order", "waits", .. cluster])) is { ExitCode: 0 } shown
                && shown.Output.Contains("Pending (waiting: no subagent of cluster spread is available", StringComparison.Ordinal),
            "order shows why the order waits");
        Assert.Equal(0, (await Programs.RunClientAsync(["enable", "sub-a", .. cluster])).ExitCode);
        Assert.Equal("hello later\n", (await orders.WaitForAsync("waits", o => o.State == OrderState.Finished)).OutputTail);
    }

    [Fact]
    public async Task Cancel_kills_the_running_process_and_a_timeout_fails_the_order()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.Sqlite, output, Topology);
        var orders = new OrderClient(agents);
        var pidFile = Path.Combine(_scratch, "hold.pid");

        Assert.True((await orders.SubmitAsync("held", "hold", ("pidfile", pidFile))).Accepted);
        await orders.WaitForAsync("held", o => o.State == OrderState.Processing);
        var pid = await ReadPidAsync(agents, pidFile);
        var cancelled = await (await orders.DispatcherAsync("spread")).Cancel("held");
        Assert.True(cancelled.Accepted, cancelled.Message);
        var ended = await orders.WaitForAsync("held", o => o.State == OrderState.Cancelled);
        Assert.Equal(OrderReason.Cancelled, ended.Reason);
        await agents.Cluster.WaitUntilAsync(() => Task.FromResult(!ProcessAlive(pid)), "the cancelled order's process is gone");

        Assert.True((await orders.SubmitAsync("too-slow", "slow")).Accepted);
        var timedOut = await orders.WaitForAsync("too-slow", o => o.State.IsTerminal());
        Assert.Equal(OrderState.Failed, timedOut.State);
        Assert.Equal(OrderReason.Timeout, timedOut.Reason);
    }

    [Fact]
    public async Task Applying_a_topology_that_removes_an_agent_cluster_with_a_running_order_needs_force()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.Sqlite, output, Topology);
        var orders = new OrderClient(agents);
        string[] cluster = ["--database", agents.Database.Setting, "--cluster-id", agents.Database.ClusterId, "--service-id", agents.Database.ServiceId];
        var pidFile = Path.Combine(_scratch, "running.pid");
        Assert.True((await orders.SubmitAsync("running", "hold", ("pidfile", pidFile))).Accepted);
        await orders.WaitForAsync("running", o => o.State == OrderState.Processing);
        var pid = await ReadPidAsync(agents, pidFile);
        var empty = Path.Combine(_scratch, "empty.json");
        await File.WriteAllTextAsync(empty, "{}");

        var refused = await Programs.RunClientAsync(["apply", "-f", empty, .. cluster]);

        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: refused: agent cluster agent-1 is removed but has 1 running and 0 pending order(s) (running)", line, StringComparison.Ordinal);
        Assert.Contains("--force", line, StringComparison.Ordinal);
        var unchanged = await Programs.RunClientAsync(["agents", "--json", .. cluster]);
        Assert.True(unchanged.ExitCode == 0, unchanged.Error);
        Assert.Equal(DirectorHarness.Agent, Assert.Single(JsonDocument.Parse(unchanged.Output).RootElement.EnumerateArray()).GetProperty("id").GetString());

        var forced = await Programs.RunClientAsync(["apply", "-f", empty, "--force", .. cluster]);

        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("forced: agent cluster agent-1 is removed but has 1 running", forced.Output, StringComparison.Ordinal);
        var gone = await Programs.RunClientAsync(["agents", "--json", .. cluster]);
        Assert.True(gone.ExitCode == 0, gone.Error);
        Assert.Empty(JsonDocument.Parse(gone.Output).RootElement.EnumerateArray());

        // The forced order fails once its subagent, removed with the agent cluster, stops (killing its process), and
        // says so.
        var ended = await orders.WaitForAsync("running", o => o.State.IsTerminal());
        Assert.Equal(OrderState.Failed, ended.State);
        Assert.Equal(OrderReason.ProcessLost, ended.Reason);
        Assert.Contains("it was removed from the topology", ended.History[^1].Detail, StringComparison.Ordinal);
        await agents.Cluster.WaitUntilAsync(() => Task.FromResult(!ProcessAlive(pid)), "the removed subagent's process is gone");
    }

    [Fact]
    public async Task Kill_9_of_a_subagents_silo_mid_job_fails_its_order_and_leaves_no_process()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, Topology);
        var orders = new OrderClient(agents);
        var pidFile = Path.Combine(_scratch, "hold-b.pid");
        Assert.True((await orders.SubmitAsync("on-b", "hold-b", ("pidfile", pidFile))).Accepted);
        await orders.WaitForAsync("on-b", o => o.State == OrderState.Processing);
        var pid = await ReadPidAsync(agents, pidFile);
        var child = await ReadPidAsync(agents, pidFile + ".child");
        Assert.True(ProcessAlive(child));

        agents.Cluster["node-b"].Kill();

        var failed = await orders.WaitForAsync("on-b", o => o.State.IsTerminal());
        Assert.Equal(OrderState.Failed, failed.State);
        Assert.Equal(OrderReason.ProcessLost, failed.Reason);
        await agents.Cluster.WaitUntilAsync(() => Task.FromResult(!ProcessAlive(pid)), "the job process died with its silo");
        await agents.Cluster.WaitUntilAsync(() => Task.FromResult(!ProcessAlive(child)), "the job's child died with its silo");
    }

    [Fact]
    public async Task Kill_9_of_the_active_director_fails_the_orders_on_its_node_and_the_others_finish_re_attached()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, Topology);
        var orders = new OrderClient(agents);
        var ids = Enumerable.Range(0, 4).Select(i => $"sleep-{i}").ToList();
        foreach (var id in ids)
        {
            Assert.True((await orders.SubmitAsync(id, "sleep", ("ms", "4000"))).Accepted);
        }

        var running = new List<OrderRecord>();
        foreach (var id in ids)
        {
            running.Add(await orders.WaitForAsync(id, o => o.State == OrderState.Processing));
        }

        Assert.Equal(2, running.Count(o => o.Subagent == "sub-a"));
        Assert.Equal(2, running.Count(o => o.Subagent == "sub-c"));

        agents.Cluster["node-a"].Kill();
        await agents.WaitForStateAsync("FailedOver", "secondary");

        foreach (var order in running)
        {
            var ended = await orders.WaitForAsync(order.Id, o => o.State.IsTerminal());
            if (order.Subagent == "sub-a")
            {
                Assert.Equal(OrderState.Failed, ended.State);
                Assert.Equal(OrderReason.ProcessLost, ended.Reason);
            }
            else
            {
                Assert.Equal(OrderState.Finished, ended.State);
                Assert.Equal(1, ended.Attempt);
                Assert.Contains(ended.History, h => h.Detail.Contains($"re-attached under epoch {agents.Coupled.Epoch + 1}", StringComparison.Ordinal));
            }
        }

        // Pending orders are dispatched by the new active.
        Assert.True((await orders.SubmitAsync("after", "sleep", ("ms", "10"))).Accepted);
        var after = await orders.WaitForAsync("after", o => o.State == OrderState.Finished);
        Assert.Equal("sub-c", after.Subagent);
        Assert.True(after.Epoch > agents.Coupled.Epoch);
    }

    [Fact]
    public async Task Two_hundred_files_through_a_fail_over_each_get_exactly_one_order()
    {
        var inbox = Directory.CreateDirectory(Path.Combine(_scratch, "inbox")).FullName;
        var log = Path.Combine(_scratch, "taken.log");
        var topology = Topology.TrimEnd().TrimEnd('}').TrimEnd().TrimEnd(']') + $$"""
            , { "id": "take", "agent": "agent-1", "subagentCluster": "on-c", "command": "/bin/sh",
                "args": ["-c", "echo \"$ORDER_ARG_file\" >> \"$TAKEN_LOG\"; rm -f \"$ORDER_ARG_file\""], "env": { "TAKEN_LOG": "{{log}}" } } ],
              "fileWatches": [ { "id": "inbox", "agent": "agent-1", "directory": "{{inbox}}", "pattern": "*.txt", "job": "take", "delay": "200ms" } ] }
            """;
        topology = topology.Replace("""{ "id": "on-b",""", """{ "id": "on-c", "agent": "agent-1", "subagents": { "sub-c": 1 } }, { "id": "on-b",""", StringComparison.Ordinal);
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, topology);
        for (var i = 0; i < 100; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(inbox, $"before-{i:000}.txt"), "x");
        }

        await agents.Cluster.WaitUntilAsync(() => Task.FromResult(File.Exists(log) && File.ReadAllLines(log).Length >= 20), "some files were taken");
        agents.Cluster["node-a"].Kill();
        for (var i = 0; i < 100; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(inbox, $"after-{i:000}.txt"), "x");
        }

        await agents.WaitForStateAsync("FailedOver", "secondary");
        await agents.Cluster.WaitUntilAsync(() => Task.FromResult(Directory.GetFiles(inbox).Length == 0), "every file was taken", TimeSpan.FromMinutes(2));
        var taken = File.ReadAllLines(log);
        Assert.Equal(200, taken.Length);
        Assert.Equal(200, taken.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_switch_over_is_refused_while_a_job_runs_on_the_active_directors_subagent()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.Sqlite, output, Topology);
        var orders = new OrderClient(agents);
        Assert.True((await orders.SubmitAsync("on-a", "hold-a", ("pidfile", Path.Combine(_scratch, "a.pid")))).Accepted);
        await orders.WaitForAsync("on-a", o => o.State == OrderState.Processing);
        var witness = (await agents.ClientAsync()).GetGrain<Agents.DirectorClusters.IDirectorClusterGrain>(DirectorHarness.Agent);

        var refused = await witness.SwitchOver();
        Assert.False(refused.Accepted);
        Assert.Contains("1 job(s) run on the active director's own subagent", refused.Message, StringComparison.Ordinal);

        Assert.True((await (await orders.DispatcherAsync("on-a")).Cancel("on-a")).Accepted);
        await orders.WaitForAsync("on-a", o => o.State == OrderState.Cancelled);
        var accepted = await witness.SwitchOver();
        Assert.True(accepted.Accepted, accepted.Message);
    }

    [Fact]
    public async Task With_self_fencing_a_subagent_kills_its_jobs_once_no_director_leads()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(
            FaultDatabase.PostgreSql, output, Topology, "Agents:SubagentSelfFencing=00:00:01");
        var orders = new OrderClient(agents);
        var pidFile = Path.Combine(_scratch, "c.pid");
        Assert.True((await orders.SubmitAsync("on-c", "hold-c", ("pidfile", pidFile))).Accepted);
        await orders.WaitForAsync("on-c", o => o.State == OrderState.Processing);
        var pid = await ReadPidAsync(agents, pidFile);

        // Both directors gone: nobody leads agent-1 any more.
        agents.Cluster["node-a"].Kill();
        agents.Cluster["node-b"].Kill();

        await agents.Cluster.WaitUntilAsync(() => Task.FromResult(!ProcessAlive(pid)), "node-c's subagent killed its job (self-fencing)");
        Assert.Contains("self-fencing", agents.Cluster["node-c"].Log, StringComparison.Ordinal);
        Assert.False(agents.Cluster["node-c"].HasExited);
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    private static async Task<int> ReadPidAsync(DirectorHarness agents, string pidFile)
    {
        var pid = 0;
        await agents.Cluster.WaitUntilAsync(
            async () => File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out pid),
            "the job wrote its process id");
        return pid;
    }

    /// <summary>Submits through the harness's client and reads orders from the database, where they are durable.</summary>
    private sealed class OrderClient(DirectorHarness agents)
    {
        public async Task<IJobDispatcherGrain> DispatcherAsync(string key) => (await agents.ClientAsync()).GetGrain<IJobDispatcherGrain>(key);

        public async Task<SubmitResult> SubmitAsync(string id, string job, params (string Name, string Value)[] arguments)
        {
            var spec = Agents.Topology.TopologyParser.Parse(Topology).FindJob(job)!;
            var request = new OrderRequest { Id = id, Job = job, Arguments = arguments.ToDictionary(a => a.Name, a => a.Value) };
            return await (await agents.ClientAsync()).GetGrain<IJobDispatcherGrain>(DispatcherKeys.ForJob(spec)).Submit(request);
        }

        public async Task<OrderRecord> WaitForAsync(string id, Func<OrderRecord, bool> condition)
        {
            OrderRecord? last = null;
            await using var database = ClusterDatabase.Open(DatabaseLocation.Parse(agents.Database.Setting));
            var store = new OrderStore(database.CreateRecordStore(agents.Database.ServiceId));
            await agents.Cluster.WaitUntilAsync(
                async () => (last = (await store.ReadAsync(id, CancellationToken.None))?.Order) is { } order && condition(order),
                $"order {id} reaches the expected state (last: {last?.State} {last?.Waiting} {(last is { History.Count: > 0 } ? last.History[^1].Detail : "")})");
            return last!;
        }
    }
}
