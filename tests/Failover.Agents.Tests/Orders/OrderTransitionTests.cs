using Failover.Agents.Orders;
using static Failover.Agents.Orders.OrderStepResult;

namespace Failover.Agents.Tests.Orders;

public sealed class OrderTransitionTests
{
    /// <summary>Situation (<see cref="OrderScript.In"/>); input (<see cref="OrderScript.Step"/>); result; state after; reason after; commands.</summary>
    public static TheoryData<string, string, OrderStepResult, OrderState, OrderReason?, string> Transitions => new()
    {
        // Pending
        { "Pending", "start", Applied, OrderState.Processing, null, "start sub-a 1" },
        { "Pending", "start attempt=2", Refused, OrderState.Pending, null, "" },
        { "Pending", "wait", Applied, OrderState.Pending, null, "" },
        { "Pending", "exit code=0", Stale, OrderState.Pending, null, "" },
        { "Pending", "fail", Stale, OrderState.Pending, null, "" },
        { "Pending", "timeout", Stale, OrderState.Pending, null, "" },
        { "Pending", "lost", Unchanged, OrderState.Pending, null, "" },
        { "Pending", "reattach", Stale, OrderState.Pending, null, "kill sub-a 1" },
        { "Pending", "cancel", Applied, OrderState.Cancelled, OrderReason.Cancelled, "" },
        { "Pending", "job-missing", Applied, OrderState.Failed, OrderReason.NoSuchJob, "" },

        // Pending again after a restartable loss: attempt 2 under epoch 5 or later
        { "Pending2", "start attempt=2", Applied, OrderState.Processing, null, "start sub-a 2" },
        { "Pending2", "start attempt=2 epoch=6", Applied, OrderState.Processing, null, "start sub-a 2" },
        { "Pending2", "start attempt=2 epoch=4", Stale, OrderState.Pending, null, "" },
        { "Pending2", "start attempt=1", Refused, OrderState.Pending, null, "" },
        { "Pending2", "exit code=0", Stale, OrderState.Pending, null, "" },
        { "Pending2", "reattach", Stale, OrderState.Pending, null, "kill sub-a 1" },

        // Processing: attempt 1 on sub-a under epoch 5
        { "Processing", "start", Refused, OrderState.Processing, null, "" },
        { "Processing", "wait", Refused, OrderState.Processing, null, "" },
        { "Processing", "exit code=0", Applied, OrderState.Finished, null, "" },
        { "Processing", "exit code=0 epoch=6", Applied, OrderState.Finished, null, "" },
        { "Processing", "exit code=3", Applied, OrderState.Failed, OrderReason.NonZeroExit, "" },
        { "Processing", "exit code=-1", Applied, OrderState.Failed, OrderReason.NonZeroExit, "" },
        { "Processing", "exit code=0 attempt=2", Stale, OrderState.Processing, null, "" },
        { "Processing", "exit code=0 epoch=4", Stale, OrderState.Processing, null, "" },
        { "Processing", "fail reason=StartFailed", Applied, OrderState.Failed, OrderReason.StartFailed, "" },
        { "Processing", "fail reason=ProcessLost", Applied, OrderState.Failed, OrderReason.ProcessLost, "" },
        { "Processing", "fail epoch=4", Stale, OrderState.Processing, null, "" },
        { "Processing", "cancel", Applied, OrderState.Processing, null, "kill sub-a 1" },
        { "Processing", "timeout", Applied, OrderState.Failed, OrderReason.Timeout, "kill sub-a 1" },
        { "Processing", "timeout attempt=2", Stale, OrderState.Processing, null, "" },
        { "Processing", "lost", Applied, OrderState.Failed, OrderReason.ProcessLost, "kill sub-a 1" },
        { "Processing", "lost restartable=true", Applied, OrderState.Pending, null, "kill sub-a 1" },
        { "Processing", "lost sub=sub-b", Unchanged, OrderState.Processing, null, "" },
        { "Processing", "reattach epoch=6", Applied, OrderState.Processing, null, "" },
        { "Processing", "reattach epoch=5", Unchanged, OrderState.Processing, null, "" },
        { "Processing", "reattach epoch=4", Stale, OrderState.Processing, null, "" },
        { "Processing", "reattach attempt=2 epoch=6", Stale, OrderState.Processing, null, "kill sub-a 2" },
        { "Processing", "reattach sub=sub-b epoch=6", Stale, OrderState.Processing, null, "kill sub-b 1" },
        { "Processing", "job-missing", Unchanged, OrderState.Processing, null, "" },

        // Processing attempt 2 on sub-b under epoch 6: reports of attempt 1 or sub-a are stale
        { "Processing2", "exit code=0", Stale, OrderState.Processing, null, "" },
        { "Processing2", "exit code=0 attempt=2 epoch=5", Stale, OrderState.Processing, null, "" },
        { "Processing2", "exit code=0 attempt=2 epoch=6", Applied, OrderState.Finished, null, "" },
        { "Processing2", "timeout", Stale, OrderState.Processing, null, "" },
        { "Processing2", "lost", Unchanged, OrderState.Processing, null, "" },
        { "Processing2", "lost sub=sub-b", Applied, OrderState.Failed, OrderReason.ProcessLost, "kill sub-b 2" },
        { "Processing2", "reattach epoch=7", Stale, OrderState.Processing, null, "kill sub-a 1" },

        // Cancel requested while Processing: any end of the attempt is Cancelled
        { "CancelRequested", "cancel", Unchanged, OrderState.Processing, null, "kill sub-a 1" },
        { "CancelRequested", "exit code=0", Applied, OrderState.Cancelled, OrderReason.Cancelled, "" },
        { "CancelRequested", "exit code=137", Applied, OrderState.Cancelled, OrderReason.Cancelled, "" },
        { "CancelRequested", "fail", Applied, OrderState.Cancelled, OrderReason.Cancelled, "" },
        { "CancelRequested", "timeout", Applied, OrderState.Cancelled, OrderReason.Cancelled, "kill sub-a 1" },
        { "CancelRequested", "lost restartable=true", Applied, OrderState.Cancelled, OrderReason.Cancelled, "kill sub-a 1" },
        { "CancelRequested", "reattach epoch=6", Applied, OrderState.Processing, null, "kill sub-a 1" },
        { "CancelRequested", "reattach epoch=5", Unchanged, OrderState.Processing, null, "kill sub-a 1" },
        { "CancelRequested", "exit code=0 epoch=4", Stale, OrderState.Processing, null, "" },

        // Terminal states never change
        { "Finished", "start", Refused, OrderState.Finished, null, "" },
        { "Finished", "wait", Refused, OrderState.Finished, null, "" },
        { "Finished", "exit code=3", Stale, OrderState.Finished, null, "" },
        { "Finished", "fail", Stale, OrderState.Finished, null, "" },
        { "Finished", "cancel", Refused, OrderState.Finished, null, "" },
        { "Finished", "timeout", Stale, OrderState.Finished, null, "" },
        { "Finished", "lost", Unchanged, OrderState.Finished, null, "" },
        { "Finished", "reattach", Stale, OrderState.Finished, null, "kill sub-a 1" },
        { "Finished", "job-missing", Unchanged, OrderState.Finished, null, "" },
        { "Failed", "start", Refused, OrderState.Failed, OrderReason.NonZeroExit, "" },
        { "Failed", "exit code=0", Stale, OrderState.Failed, OrderReason.NonZeroExit, "" },
        { "Failed", "cancel", Refused, OrderState.Failed, OrderReason.NonZeroExit, "" },
        { "Failed", "timeout", Stale, OrderState.Failed, OrderReason.NonZeroExit, "" },
        { "Failed", "lost restartable=true", Unchanged, OrderState.Failed, OrderReason.NonZeroExit, "" },
        { "Failed", "job-missing", Unchanged, OrderState.Failed, OrderReason.NonZeroExit, "" },
        { "Cancelled", "start", Refused, OrderState.Cancelled, OrderReason.Cancelled, "" },
        { "Cancelled", "wait", Refused, OrderState.Cancelled, OrderReason.Cancelled, "" },
        { "Cancelled", "exit code=0", Stale, OrderState.Cancelled, OrderReason.Cancelled, "" },
        { "Cancelled", "cancel", Unchanged, OrderState.Cancelled, OrderReason.Cancelled, "" },
        { "Cancelled", "job-missing", Unchanged, OrderState.Cancelled, OrderReason.Cancelled, "" },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Transition(string situation, string input, OrderStepResult result, OrderState state, OrderReason? reason, string commands)
    {
        var before = OrderScript.In(situation);
        var step = OrderScript.Step(before, input, OrderScript.Later);

        Assert.Equal(result, step.Result);
        Assert.Equal(state, step.Order.State);
        Assert.Equal(reason, step.Order.Reason);
        Assert.Equal(commands, OrderScript.Text(step.Commands));
        Assert.Equal(result == Applied, step.Changed);
        if (result == Applied)
        {
            Assert.Equal(OrderScript.Later, step.Order.Updated);
            Assert.Equal(before.History.Count + 1, step.Order.History.Count);
            Assert.Equal(new OrderHistoryEntry(OrderScript.Later, state, step.Detail!), step.Order.History[^1]);
            Assert.Equal(before.History, step.Order.History.Take(before.History.Count));
        }
        else
        {
            Assert.Same(before, step.Order);
            Assert.False(string.IsNullOrEmpty(step.Detail));
        }
    }

    [Theory]
    [InlineData("Pending", 1, 0, null)]
    [InlineData("Processing", 1, 5, "sub-a")]
    [InlineData("Pending2", 2, 5, null)]
    [InlineData("Processing2", 2, 6, "sub-b")]
    [InlineData("Finished", 1, 5, "sub-a")]
    [InlineData("Cancelled", 1, 0, null)]
    public void Attempt_epoch_and_subagent(string situation, int attempt, long epoch, string? subagent)
    {
        var order = OrderScript.In(situation);
        Assert.Equal((attempt, epoch, subagent), (order.Attempt, order.Epoch, order.Subagent));
    }

    [Theory]
    [InlineData("exit code=0", 0)]
    [InlineData("exit code=3", 3)]
    [InlineData("timeout", null)]
    [InlineData("lost", null)]
    public void The_exit_code_is_kept_when_there_is_one(string input, int? exitCode) =>
        Assert.Equal(exitCode, OrderScript.Run(OrderScript.In("Processing"), input).ExitCode);

    [Fact]
    public void A_cancel_request_is_kept_until_the_process_is_gone()
    {
        var requested = OrderScript.In("CancelRequested");
        Assert.True(requested.CancelRequested);
        var cancelled = OrderScript.Run(requested, "exit code=137");
        Assert.False(cancelled.CancelRequested);
        Assert.Equal(137, cancelled.ExitCode);
    }

    [Fact]
    public void A_failure_report_cannot_claim_a_cancel() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            OrderMachine.Failed(OrderScript.In("Processing"), 1, 5, OrderReason.Cancelled, "x", OrderScript.Later));

    [Fact]
    public void A_long_wait_shows_the_latest_reason_but_enters_the_history_once()
    {
        var order = OrderScript.In("Pending");
        var first = OrderMachine.Wait(order, "no subagent of cluster workers is available: sub-a disabled", OrderScript.Later);
        Assert.Equal(OrderStepResult.Applied, first.Result);
        Assert.Equal("waiting: no subagent of cluster workers is available: sub-a disabled", first.Order.History[^1].Detail);

        var same = OrderMachine.Wait(first.Order, first.Order.Waiting!, OrderScript.Later.AddSeconds(1));
        Assert.Equal(OrderStepResult.Unchanged, same.Result);

        var other = OrderMachine.Wait(first.Order, "job hello is at its process limit 2", OrderScript.Later.AddSeconds(2));
        Assert.Equal(OrderStepResult.Applied, other.Result);
        Assert.Equal("job hello is at its process limit 2", other.Order.Waiting);
        Assert.Equal(first.Order.History, other.Order.History);

        var started = OrderScript.Run(other.Order, "start");
        Assert.Null(started.Waiting);
    }
}
