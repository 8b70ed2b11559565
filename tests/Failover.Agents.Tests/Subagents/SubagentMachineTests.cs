using System.Collections.Concurrent;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Subagents;

namespace Failover.Agents.Tests.Subagents;

/// <summary>One test per decision of <see cref="SubagentMachine"/>: each input, the steps it asks for, and what its polls and reports say after.</summary>
public sealed class SubagentMachineTests
{
    private const string D = "workers";
    private static readonly TimeSpan SelfFencing = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);

    private static SubagentMachine Machine(int limit = 2, TimeSpan? selfFencing = null) => new("sub-a", limit, selfFencing, T0);

    private static readonly ConcurrentDictionary<(string, int), JobRun> Runs = new();

    /// <summary>One instance per run, so that steps compare equal (a run's lists compare by reference).</summary>
    private static JobRun Run(string order, int attempt = 1) => Runs.GetOrAdd((order, attempt), _ => new() { OrderId = order, Attempt = attempt, Builtin = "noop" });

    private static PollAnswer Answer(long epoch, bool leading = true, JobRun[]? start = null, RunRef[]? kill = null) => new(epoch, leading, start ?? [], kill ?? []);

    private static JobOutcome Exit(int code) => new(new JobEnd.Exited(code), TimeSpan.FromMilliseconds(7), "out");

    private static IReadOnlyList<RunRef> Known(SubagentMachine machine, string dispatcher = D) => machine.Poll(dispatcher, "sub-a@1", wait: true).Known;

    [Fact]
    public void A_start_under_the_current_epoch_is_launched()
    {
        var machine = Machine();

        var steps = machine.Answered(D, Answer(1, start: [Run("o1")]), T0);

        Assert.Equal([new SubagentStep.Launch(D, Run("o1"))], steps);
        Assert.Equal(1, machine.Running);
        Assert.Equal([new RunRef("o1", 1)], Known(machine));
    }

    [Fact]
    public void A_start_under_an_older_epoch_than_seen_is_refused_and_reported_never_launched()
    {
        var machine = Machine();
        machine.Answered(D, Answer(3), T0);

        var steps = machine.Answered("agent:agent-1", Answer(2, start: [Run("o1")]), T0);

        Assert.Equal([new SubagentStep.RefusedStale("agent:agent-1", new RunRef("o1", 1), 2, 3), new SubagentStep.Report("agent:agent-1")], steps);
        Assert.Equal(0, machine.Running);
        var report = Assert.Single(machine.Reports("agent:agent-1"));
        Assert.Equal((RunEnd.Refused, 2L), (report.End, report.Epoch));
        Assert.Equal(3, machine.Epoch);
    }

    [Fact]
    public void A_start_beyond_the_process_limit_waits_and_takes_the_first_free_slot()
    {
        var machine = Machine(limit: 1);
        machine.Answered(D, Answer(1, start: [Run("o1"), Run("o2")]), T0);
        Assert.Equal(1, machine.Running);
        Assert.Equal([new RunRef("o1", 1), new RunRef("o2", 1)], Known(machine));

        var steps = machine.Ended(D, new RunRef("o1", 1), Exit(0));

        Assert.Equal([new SubagentStep.Report(D), new SubagentStep.Launch(D, Run("o2"))], steps);
        Assert.Equal(1, machine.Running);
    }

    [Fact]
    public void A_higher_process_limit_launches_waiting_runs_at_once()
    {
        var machine = Machine(limit: 1);
        machine.Answered(D, Answer(1, start: [Run("o1"), Run("o2")]), T0);

        Assert.Equal([new SubagentStep.Launch(D, Run("o2"))], machine.SetProcessLimit(2));
        Assert.Equal(2, machine.Running);
    }

    [Fact]
    public void A_repeated_start_of_a_held_run_changes_nothing()
    {
        var machine = Machine();
        machine.Answered(D, Answer(1, start: [Run("o1")]), T0);

        Assert.Empty(machine.Answered(D, Answer(1, start: [Run("o1")]), T0));
        Assert.Equal(1, machine.Running);
    }

    [Fact]
    public void An_end_is_reported_again_and_again_until_the_dispatcher_acknowledges_it()
    {
        var machine = Machine();
        machine.Answered(D, Answer(1, start: [Run("o1")]), T0);
        machine.Ended(D, new RunRef("o1", 1), Exit(4));

        var report = Assert.Single(machine.Reports(D));
        Assert.Equal(new RunReport("o1", 1, 1, RunEnd.Exited, 4, null, 7, "out"), report);
        Assert.Equal(report, Assert.Single(machine.Reports(D)));
        Assert.Empty(machine.Reports("other"));
        Assert.Equal([new RunRef("o1", 1)], Known(machine));

        machine.Acknowledged(D, [new RunRef("o1", 1)]);

        Assert.Empty(machine.Reports(D));
        Assert.Empty(Known(machine));
    }

    [Fact]
    public void An_acknowledgement_of_a_run_that_has_not_ended_is_ignored()
    {
        var machine = Machine();
        machine.Answered(D, Answer(1, start: [Run("o1")]), T0);

        machine.Acknowledged(D, [new RunRef("o1", 1)]);

        Assert.Equal([new RunRef("o1", 1)], Known(machine));
    }

    [Fact]
    public void A_kill_of_a_launched_run_is_carried_out_once_and_its_end_reported_as_killed()
    {
        var machine = Machine();
        machine.Answered(D, Answer(1, start: [Run("o1")]), T0);

        Assert.Equal([new SubagentStep.Kill(D, new RunRef("o1", 1), "the dispatcher asked for it")], machine.Answered(D, Answer(1, kill: [new RunRef("o1", 1)]), T0));
        Assert.Empty(machine.Answered(D, Answer(1, kill: [new RunRef("o1", 1)]), T0));
        machine.Ended(D, new RunRef("o1", 1), new JobOutcome(new JobEnd.Cancelled(), TimeSpan.Zero, ""));

        var report = Assert.Single(machine.Reports(D));
        Assert.Equal((RunEnd.Killed, "killed on sub-a: the dispatcher asked for it"), (report.End, report.Detail));
    }

    [Fact]
    public void A_kill_of_a_waiting_run_ends_it_at_once_without_launching_it()
    {
        var machine = Machine(limit: 1);
        machine.Answered(D, Answer(1, start: [Run("o1"), Run("o2")]), T0);

        var steps = machine.Answered(D, Answer(1, kill: [new RunRef("o2", 1)]), T0);

        Assert.Equal([new SubagentStep.Report(D)], steps);
        Assert.Equal(RunEnd.Killed, Assert.Single(machine.Reports(D)).End);
        Assert.Equal([new SubagentStep.Report(D)], machine.Ended(D, new RunRef("o1", 1), Exit(0)));
    }

    [Fact]
    public void A_kill_of_an_unknown_run_is_ignored()
    {
        Assert.Empty(Machine().Answered(D, Answer(1, kill: [new RunRef("o9", 1)]), T0));
    }

    [Fact]
    public void An_end_of_a_run_that_was_not_launched_is_ignored()
    {
        var machine = Machine();

        Assert.Empty(machine.Ended(D, new RunRef("o1", 1), Exit(0)));
        Assert.Equal(0, machine.Running);
    }

    [Theory]
    [InlineData("exited", RunEnd.Exited, null)]
    [InlineData("timed-out", RunEnd.TimedOut, "timed out")]
    [InlineData("start-failed", RunEnd.StartFailed, "no such file")]
    [InlineData("cancelled", RunEnd.Killed, "killed on sub-a: cancelled")]
    public void Each_job_end_is_reported_as_its_run_end(string end, RunEnd expected, string? detail)
    {
        var machine = Machine();
        machine.Answered(D, Answer(1, start: [Run("o1")]), T0);
        JobEnd jobEnd = end switch
        {
            "exited" => new JobEnd.Exited(0),
            "timed-out" => new JobEnd.TimedOut(),
            "start-failed" => new JobEnd.StartFailed("no such file"),
            _ => new JobEnd.Cancelled(),
        };

        machine.Ended(D, new RunRef("o1", 1), new JobOutcome(jobEnd, TimeSpan.Zero, ""));

        var report = Assert.Single(machine.Reports(D));
        Assert.Equal((expected, detail), (report.End, report.Detail));
    }

    [Fact]
    public void Runs_are_kept_per_dispatcher()
    {
        var machine = Machine();
        machine.Answered(D, Answer(1, start: [Run("o1")]), T0);
        machine.Answered("agent:agent-1", Answer(1, start: [Run("o2")]), T0);

        Assert.Equal([new RunRef("o1", 1)], Known(machine, D));
        Assert.Equal([new RunRef("o2", 1)], Known(machine, "agent:agent-1"));
        Assert.Equal(2, machine.Poll(D, "sub-a@1", wait: false).Running);
    }

    [Fact]
    public void Without_a_leading_answer_for_longer_than_the_limit_it_kills_every_run()
    {
        var machine = Machine(limit: 1, SelfFencing);
        machine.Answered(D, Answer(1, start: [Run("o1"), Run("o2")]), T0);
        Assert.Empty(machine.Check(T0 + SelfFencing));

        var steps = machine.Check(T0 + SelfFencing + TimeSpan.FromTicks(1));

        Assert.Equal(
            [new SubagentStep.SelfFenced(2, SelfFencing), new SubagentStep.Kill(D, new RunRef("o1", 1), "self-fencing: no active director for 5s"), new SubagentStep.Report(D)],
            steps);
        Assert.Equal("killed on sub-a before it started: self-fencing: no active director for 5s", Assert.Single(machine.Reports(D)).Detail);
        Assert.Empty(machine.Check(T0 + (SelfFencing * 2)));
    }

    [Fact]
    public void A_leading_answer_puts_self_fencing_off()
    {
        var machine = Machine(selfFencing: SelfFencing);
        machine.Answered(D, Answer(1, start: [Run("o1")]), T0);
        machine.Answered(D, Answer(1, leading: true), T0 + SelfFencing);
        machine.Answered(D, Answer(1, leading: false), T0 + (SelfFencing * 2));

        Assert.Empty(machine.Check(T0 + (SelfFencing * 2)));
    }

    [Fact]
    public void Without_self_fencing_a_subagent_never_kills_on_its_own()
    {
        var machine = Machine();
        machine.Answered(D, Answer(1, leading: false, start: [Run("o1")]), T0);

        Assert.Empty(machine.Check(T0 + TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Stopping_kills_the_launched_runs_and_drops_the_waiting_ones()
    {
        var machine = Machine(limit: 1);
        machine.Answered(D, Answer(1, start: [Run("o1"), Run("o2")]), T0);

        Assert.Equal([new SubagentStep.Kill(D, new RunRef("o1", 1), "the silo stops")], machine.Stop());
        Assert.Empty(machine.Ended(D, new RunRef("o1", 1), new JobOutcome(new JobEnd.Cancelled(), TimeSpan.Zero, "")).OfType<SubagentStep.Launch>());
    }
}
