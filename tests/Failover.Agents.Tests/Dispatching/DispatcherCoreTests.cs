using Failover.Agents.DirectorClusters;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Failover.Storage.Records;

namespace Failover.Agents.Tests.Dispatching;

/// <summary>
/// The dispatcher's decisions without a grain: a topology of three subagents on three nodes, orders submitted, batches
/// "written" at once, subagents polling and reporting. Time is given explicitly.
/// </summary>
public sealed class DispatcherCoreTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
    private static readonly DateTime Utc = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly Dictionary<string, long> _polls = [];
    private TimeSpan _now = TimeSpan.FromSeconds(100);

    private static TopologyDocument Topology(string priorities, bool restartable = false, int limit = 1000) => TopologyParser.Parse($$"""
        {
          "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-b" } } ],
          "subagents": [ { "id": "sub-a", "agent": "agent-1", "node": "node-a", "processLimit": {{limit}} },
                         { "id": "sub-b", "agent": "agent-1", "node": "node-b", "processLimit": {{limit}} },
                         { "id": "sub-c", "agent": "agent-1", "node": "node-c", "processLimit": {{limit}} } ],
          "subagentClusters": [ { "id": "workers", "agent": "agent-1", "subagents": {{priorities}} } ],
          "jobs": [ { "id": "work", "agent": "agent-1", "subagentCluster": "workers", "builtin": "noop", "restartable": {{(restartable ? "true" : "false")}} } ]
        }
        """);

    private static DispatcherCore NewCore() => new("workers", new DispatcherSettings(), [], TimeSpan.FromSeconds(100));

    [Fact]
    public void Orders_wait_visibly_until_a_director_leads()
    {
        var topology = Topology("""{ "sub-a": 1, "sub-b": 1, "sub-c": 1 }""");
        var core = NewCore();
        PollAll(core, topology);
        var order = Submit(core, topology, "o1");
        Assert.Equal(OrderState.Pending, order.Record.State);
        Assert.Null(order.Record.Waiting);

        _now += DispatcherCore.WaitShownAfter;
        PollAll(core, topology);
        core.Dispatch(_now, Utc, topology, Timeout, full: true);
        Assert.Equal("no active director leads agent agent-1", order.Record.Waiting);

        Lead(core, topology, epoch: 1, "node-a");
        core.Dispatch(_now, Utc, topology, Timeout, full: true);
        Assert.Equal(OrderState.Processing, order.Record.State);
        Assert.Equal(1, order.Record.Epoch);
    }

    [Fact]
    public void Nine_hundred_ninety_nine_orders_over_three_equal_subagents_are_333_each()
    {
        var topology = Topology("""{ "sub-a": 1, "sub-b": 1, "sub-c": 1 }""");
        var core = Leading(topology);
        for (var i = 0; i < 999; i++)
        {
            Submit(core, topology, $"o{i:000}");
        }

        var perSubagent = core.Open.GroupBy(o => o.Record.Subagent!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["sub-a"] = 333, ["sub-b"] = 333, ["sub-c"] = 333 }, perSubagent);
    }

    [Fact]
    public void Fixed_priority_puts_everything_on_the_highest_and_moves_to_the_next_when_it_is_lost()
    {
        var topology = Topology("""{ "sub-a": 3, "sub-b": 2, "sub-c": 1 }""");
        var core = Leading(topology);
        for (var i = 0; i < 30; i++)
        {
            Submit(core, topology, $"first-{i}");
        }

        Assert.All(core.Open, o => Assert.Equal("sub-a", o.Record.Subagent));

        _now += Timeout + TimeSpan.FromMilliseconds(1);
        Poll(core, topology, "sub-b");
        Poll(core, topology, "sub-c");
        Lead(core, topology, epoch: 1, "node-a");
        core.Check(_now, Utc, topology, Timeout, _ => false);
        Commit(core);
        for (var i = 0; i < 30; i++)
        {
            Submit(core, topology, $"second-{i}");
        }

        Assert.All(core.Open.Where(o => o.Record.Id.StartsWith("second", StringComparison.Ordinal)), o => Assert.Equal("sub-b", o.Record.Subagent));
    }

    [Fact]
    public void A_lost_subagent_fails_its_runs_with_ProcessLost_or_restarts_them_when_the_job_is_restartable()
    {
        foreach (var restartable in new[] { false, true })
        {
            var topology = Topology("""{ "sub-a": 2, "sub-b": 1 }""", restartable);
            var core = Leading(topology);
            var order = Submit(core, topology, "o1");
            Deliver(core, topology, "sub-a");
            Assert.Equal("sub-a", order.Record.Subagent);

            _now += Timeout + TimeSpan.FromMilliseconds(1);
            Poll(core, topology, "sub-b");
            Lead(core, topology, epoch: 1, "node-a");
            core.Check(_now, Utc, topology, Timeout, _ => false);
            core.Dispatch(_now, Utc, topology, Timeout, full: true);

            if (restartable)
            {
                Assert.Equal(OrderState.Processing, order.Record.State);
                Assert.Equal(2, order.Record.Attempt);
                Assert.Equal("sub-b", order.Record.Subagent);
            }
            else
            {
                Assert.Equal(OrderState.Failed, order.Record.State);
                Assert.Equal(OrderReason.ProcessLost, order.Record.Reason);
                Assert.Contains("not heard", order.Record.History[^1].Detail, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_subagent_whose_silo_is_Dead_is_lost_at_once()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var order = Submit(core, topology, "o1");
        Deliver(core, topology, "sub-a");

        core.Check(_now, Utc, topology, Timeout, incarnation => incarnation == "sub-a@1");

        Assert.Equal(OrderReason.ProcessLost, order.Record.Reason);
        Assert.Contains("is Dead", order.Record.History[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fail_over_fails_the_runs_on_the_lost_director_node_and_re_attaches_the_others_under_the_new_epoch()
    {
        var topology = Topology("""{ "sub-a": 1, "sub-b": 1 }""");
        var core = Leading(topology);
        var onA = Submit(core, topology, "o1");
        var onB = Submit(core, topology, "o2");
        Deliver(core, topology, "sub-a");
        Deliver(core, topology, "sub-b");
        Assert.Equal("sub-a", onA.Record.Subagent);
        Assert.Equal("sub-b", onB.Record.Subagent);

        Assert.True(core.Lead(new DirectorLead("agent-1", 2, "node-b", DirectorClusterState.FailedOver, Timeout, core.Ticket(_now)), _now, Utc, topology));
        Assert.Equal(OrderReason.ProcessLost, onA.Record.Reason);
        Assert.Contains("director node node-a was lost", onA.Record.History[^1].Detail, StringComparison.Ordinal);

        core.Heard(PollOf("sub-b", "sub-b@1", 1, [new RunRef("o2", 1)], 1), _now, Utc, topology);
        Assert.Equal(OrderState.Processing, onB.Record.State);
        Assert.Equal(2, onB.Record.Epoch);
        Assert.Contains("re-attached under epoch 2", onB.Record.History[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_re_attached_under_a_new_epoch_ends_with_the_report_of_the_epoch_it_was_started_under()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var order = Submit(core, topology, "o1");
        Deliver(core, topology, "sub-a");
        core.Lead(new DirectorLead("agent-1", 2, "node-b", DirectorClusterState.SwitchedOver, Timeout, core.Ticket(_now)), _now, Utc, topology);
        core.Heard(PollOf("sub-a", "sub-a@1", 2, [new RunRef("o1", 1)], 1), _now, Utc, topology);
        Assert.Equal(2, order.Record.Epoch);

        core.Reported("sub-a", new RunReport("o1", 1, 1, RunEnd.Exited, 0, null, 5, "done"), _now, Utc, topology);

        Assert.Equal(OrderState.Finished, order.Record.State);
    }

    [Fact]
    public void A_report_under_an_older_epoch_from_another_subagent_is_still_stale()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var order = Submit(core, topology, "o1");
        Deliver(core, topology, "sub-a");
        core.Lead(new DirectorLead("agent-1", 2, "node-b", DirectorClusterState.SwitchedOver, Timeout, core.Ticket(_now)), _now, Utc, topology);
        core.Heard(PollOf("sub-a", "sub-a@1", 2, [new RunRef("o1", 1)], 1), _now, Utc, topology);

        core.Reported("sub-b", new RunReport("o1", 1, 1, RunEnd.Exited, 0, null, 5, "done"), _now, Utc, topology);

        Assert.Equal(OrderState.Processing, order.Record.State);
    }

    [Fact]
    public void A_poll_heard_after_a_newer_one_neither_sends_a_delivered_start_back_nor_gets_commands()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var order = Submit(core, topology, "o1");
        var held = PollOf("sub-a", "sub-a@1", 1, [], 0); // sent, then given up on by the subagent
        var newer = PollOf("sub-a", "sub-a@1", 1, [], 0);
        core.Heard(newer, _now, Utc, topology);
        Assert.Equal("o1", Assert.Single(core.TakeCommands(newer, topology).Start).OrderId);

        core.Heard(held, _now, Utc, topology);

        Assert.Equal(OrderState.Processing, order.Record.State);
        Commit(core);
        core.Apply(order, OrderMachine.Cancel(order.Record, Utc), _now);
        Commit(core);
        Assert.Empty(core.TakeCommands(held, topology).Kill);
        Assert.Equal([new RunRef("o1", 1)], core.TakeCommands(newer, topology).Kill);
    }

    [Fact]
    public void A_newer_poll_without_a_start_delivered_to_an_older_one_sends_it_back_to_Pending()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var order = Submit(core, topology, "o1");
        Deliver(core, topology, "sub-a");

        core.Heard(PollOf("sub-a", "sub-a@1", 1, [], 0), _now, Utc, topology);

        Assert.Equal(OrderState.Pending, order.Record.State);
    }

    [Fact]
    public void A_switch_over_loses_nothing_and_an_older_lead_is_ignored()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var order = Submit(core, topology, "o1");
        Deliver(core, topology, "sub-a");

        Assert.True(core.Lead(new DirectorLead("agent-1", 2, "node-b", DirectorClusterState.SwitchedOver, Timeout, core.Ticket(_now)), _now, Utc, topology));
        Assert.False(core.Lead(new DirectorLead("agent-1", 1, "node-a", DirectorClusterState.Coupled, Timeout, core.Ticket(_now)), _now, Utc, topology));

        Assert.Equal(OrderState.Processing, order.Record.State);
        Assert.Equal("node-b", core.LeadNode);
        Assert.Equal(2, core.Epoch);
    }

    [Fact]
    public void A_start_the_subagent_never_got_goes_back_to_Pending_and_an_unexpected_run_is_killed()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var order = Submit(core, topology, "o1");
        Deliver(core, topology, "sub-a");

        core.Heard(PollOf("sub-a", "sub-a@1", 1, [new RunRef("ghost", 1)], 1), _now, Utc, topology);

        Assert.Equal(OrderState.Pending, order.Record.State);
        Assert.Equal(1, order.Record.Attempt);
        Assert.Contains("does not have it", order.Record.History[^1].Detail, StringComparison.Ordinal);
        var (_, kills) = core.TakeCommands(Newest("sub-a", "sub-a@1"), topology);
        Assert.Contains(new RunRef("ghost", 1), kills);
    }

    [Fact]
    public void A_restarted_subagent_loses_the_runs_of_its_old_incarnation()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var order = Submit(core, topology, "o1");
        Deliver(core, topology, "sub-a");

        core.Heard(PollOf("sub-a", "sub-a@2", 1, [], 0), _now, Utc, topology);

        Assert.Equal(OrderReason.ProcessLost, order.Record.Reason);
        Assert.Contains("restarted", order.Record.History[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Why_an_order_waits_is_in_its_view_at_once_and_written_only_after_the_longer_wait()
    {
        var topology = Topology("""{ "sub-a": 1, "sub-b": 1, "sub-c": 1 }""");
        var core = NewCore();
        PollAll(core, topology);
        var order = Submit(core, topology, "o1");
        core.TakeBatch();
        core.Dispatch(_now, Utc, topology, Timeout, full: true);

        Assert.Null(order.Record.Waiting);
        Assert.False(core.HasBatch);
        Assert.Equal("no active director leads agent agent-1", core.View("o1")!.Waiting);
        Assert.Null(core.View("unknown"));

        Lead(core, topology, epoch: 1, "node-a");
        core.Dispatch(_now, Utc, topology, Timeout, full: false);
        Assert.Equal(OrderState.Processing, core.View("o1")!.State);
        Assert.Null(core.View("o1")!.Waiting);
    }

    [Fact]
    public void Reports_end_orders_with_exit_code_output_and_duration_and_free_the_slot()
    {
        var topology = Topology("""{ "sub-a": 1 }""", limit: 1);
        var core = Leading(topology);
        var first = Submit(core, topology, "o1");
        var second = Submit(core, topology, "o2");
        Assert.Equal(OrderState.Pending, second.Record.State);
        _now += DispatcherCore.WaitShownAfter;
        PollAll(core, topology);
        Lead(core, topology, epoch: 1, "node-a");
        core.Dispatch(_now, Utc, topology, Timeout, full: true);
        Assert.Contains("at its limit 1", second.Record.Waiting, StringComparison.Ordinal);

        core.Reported("sub-a", new RunReport("o1", 1, 1, RunEnd.Exited, 0, null, 12, "hi\n"), _now, Utc, topology);
        core.Dispatch(_now, Utc, topology, Timeout, full: false);

        Assert.Equal(OrderState.Finished, first.Record.State);
        Assert.Equal(12, first.Record.DurationMs);
        Assert.Equal("hi\n", first.Record.OutputTail);
        Assert.Equal(OrderState.Processing, second.Record.State);
    }

    [Fact]
    public void A_disabled_subagent_takes_no_new_orders()
    {
        var topology = Topology("""{ "sub-a": 1, "sub-b": 1 }""");
        var core = Leading(topology);
        Assert.True(core.SetEnabled("sub-a", false));
        for (var i = 0; i < 5; i++)
        {
            Submit(core, topology, $"o{i}");
        }

        Assert.All(core.Open, o => Assert.Equal("sub-b", o.Record.Subagent));
        Assert.Equal(["sub-a"], core.Settings.Disabled);
    }

    [Fact]
    public void Commands_reach_a_subagent_only_once_their_batch_is_written()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        core.Add(OrderMachine.Submit("o1", "work", new Dictionary<string, string>(), Utc).Order, _now);
        core.Dispatch(_now, Utc, topology, Timeout, full: false);

        Assert.False(core.HasCommands("sub-a"));
        Commit(core);
        Assert.True(core.HasCommands("sub-a"));
        var (starts, _) = core.TakeCommands(Newest("sub-a", "sub-a@1"), topology);
        Assert.Equal("o1", Assert.Single(starts).OrderId);
    }

    [Fact]
    public void A_first_write_that_finds_the_id_taken_withdraws_the_order()
    {
        var topology = Topology("""{ "sub-a": 1 }""");
        var core = Leading(topology);
        var entry = core.Add(OrderMachine.Submit("o1", "work", new Dictionary<string, string>(), Utc).Order, _now);
        core.Dispatch(_now, Utc, topology, Timeout, full: false);
        var batch = core.TakeBatch();
        var stored = new StoredRecord("o1", "workers", "Finished", "{}", 3, Utc);

        core.Committed(batch, [new RecordWriteResult(false, 0, stored)]);

        Assert.Null(core.Find("o1"));
        Assert.Same(stored, entry.Conflict);
        Assert.False(core.HasCommands("sub-a"));
        Assert.Throws<StaleDispatcherException>(() =>
        {
            var again = core.Add(OrderMachine.Submit("o2", "work", new Dictionary<string, string>(), Utc).Order, _now);
            Commit(core);
            core.Apply(again, OrderMachine.Cancel(again.Record, Utc), _now);
            core.Committed(core.TakeBatch(), [new RecordWriteResult(false, 0, stored)]);
        });
    }

    private DispatcherCore Leading(TopologyDocument topology)
    {
        var core = NewCore();
        PollAll(core, topology);
        Lead(core, topology, epoch: 1, "node-a");
        return core;
    }

    private void PollAll(DispatcherCore core, TopologyDocument topology)
    {
        foreach (var subagent in DispatcherKeys.SetOf(topology, "workers").Candidates)
        {
            Poll(core, topology, subagent.Id);
        }
    }

    /// <summary>The subagent's next poll (numbered as a subagent numbers them).</summary>
    private SubagentPoll PollOf(string subagent, string incarnation, long epoch, RunRef[] known, int running) =>
        new(subagent, incarnation, epoch, known, running, false, _polls[subagent] = _polls.GetValueOrDefault(subagent) + 1);

    /// <summary>The subagent's newest poll again, as the answer to it takes the commands.</summary>
    private SubagentPoll Newest(string subagent, string incarnation) => new(subagent, incarnation, 0, [], 0, false, _polls.GetValueOrDefault(subagent));

    private void Poll(DispatcherCore core, TopologyDocument topology, string subagent) =>
        core.Heard(PollOf(subagent, $"{subagent}@1", 0, [], 0), _now, Utc, topology);

    private void Lead(DispatcherCore core, TopologyDocument topology, long epoch, string node) =>
        core.Lead(new DirectorLead("agent-1", epoch, node, DirectorClusterState.Coupled, Timeout, core.Ticket(_now)), _now, Utc, topology);

    private OpenOrder Submit(DispatcherCore core, TopologyDocument topology, string id)
    {
        var entry = core.Add(OrderMachine.Submit(id, "work", new Dictionary<string, string>(), Utc).Order, _now);
        core.Dispatch(_now, Utc, topology, Timeout, full: true);
        Commit(core);
        return entry;
    }

    private static void Commit(DispatcherCore core)
    {
        var batch = core.TakeBatch();
        core.Committed(batch, [.. batch.Writes.Select(w => new RecordWriteResult(true, w.Entry.Version + 1, null))]);
    }

    private void Deliver(DispatcherCore core, TopologyDocument topology, string subagent) =>
        core.TakeCommands(Newest(subagent, $"{subagent}@1"), topology);
}
