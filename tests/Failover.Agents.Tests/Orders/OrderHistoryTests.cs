using Failover.Agents.Orders;

namespace Failover.Agents.Tests.Orders;

public sealed class OrderHistoryTests
{
    [Fact]
    public void Every_attempt_of_a_restarted_order_is_in_its_history()
    {
        var t = OrderScript.T0;
        var order = OrderMachine.Submit("o1", "hello", OrderScript.Arguments, t).Order;
        foreach (var (seconds, input) in new[]
        {
            (1, "wait reason=sub-a_disabled"),
            (2, "start sub=sub-a attempt=1 epoch=5"),
            (3, "lost sub=sub-a restartable=true"),
            (4, "start sub=sub-b attempt=2 epoch=6"),
            (5, "reattach sub=sub-b attempt=2 epoch=7"),
            (6, "exit sub=sub-b attempt=2 epoch=7 code=0"),
        })
        {
            order = OrderScript.Step(order, input, t.AddSeconds(seconds)).Order;
        }

        Assert.Equal(
            [
                new(t, OrderState.Pending, "submitted"),
                new(t.AddSeconds(1), OrderState.Pending, "waiting: sub-a_disabled"),
                new(t.AddSeconds(2), OrderState.Processing, "attempt 1 dispatched to sub-a under epoch 5"),
                new(t.AddSeconds(3), OrderState.Pending, "subagent sub-a lost with attempt 1; the job is restartable, attempt 2 waits for a subagent"),
                new(t.AddSeconds(4), OrderState.Processing, "attempt 2 dispatched to sub-b under epoch 6"),
                new(t.AddSeconds(5), OrderState.Processing, "attempt 2 on sub-b re-attached under epoch 7"),
                new(t.AddSeconds(6), OrderState.Finished, "attempt 2 on sub-b exited with code 0"),
            ],
            order.History);
        Assert.Equal((OrderState.Finished, "sub-b", 2, 7L, 0), (order.State, order.Subagent, order.Attempt, order.Epoch, order.ExitCode));
        Assert.Equal((t, t.AddSeconds(6)), (order.Created, order.Updated));
    }

    public static TheoryData<string, string, string> Details => new()
    {
        { "Processing", "exit code=3", "attempt 1 on sub-a exited with code 3" },
        { "Processing", "fail reason=StartFailed", "attempt 1 on sub-a failed (StartFailed): no such file" },
        { "Processing", "timeout", "attempt 1 on sub-a timed out after 30s; killing it" },
        { "Processing", "lost", "subagent sub-a lost with attempt 1" },
        { "Processing", "cancel", "cancel requested; killing attempt 1 on sub-a" },
        { "CancelRequested", "exit code=137", "cancelled: attempt 1 on sub-a exited with code 137" },
        { "CancelRequested", "timeout", "cancelled: attempt 1 on sub-a did not end within the timeout 30s; killing it" },
        { "CancelRequested", "lost", "cancelled: subagent sub-a lost with attempt 1" },
        { "Pending", "cancel", "cancelled before it started" },
        { "Pending", "job-missing", "job hello no longer exists" },
    };

    [Theory]
    [MemberData(nameof(Details))]
    public void Each_transition_says_what_happened(string situation, string input, string detail) =>
        Assert.Equal(detail, OrderScript.Run(OrderScript.In(situation), input).History[^1].Detail);

    public static TheoryData<string, string, string> Explanations => new()
    {
        { "Processing", "exit code=0 attempt=2", "order o1 runs attempt 1, not 2" },
        { "Processing", "exit code=0 epoch=4", "epoch 4 is older than order o1's epoch 5" },
        { "Finished", "exit code=0", "order o1 is already Finished" },
        { "Pending2", "exit code=0", "order o1 is Pending for attempt 2; attempt 1 does not run" },
        { "Pending", "start attempt=2", "order o1 waits for attempt 1, not 2" },
        { "Processing", "start", "order o1 already runs attempt 1 on sub-a" },
        { "Failed", "cancel", "order o1 is already Failed; there is nothing to cancel" },
        { "Processing2", "reattach", "order o1 does not expect attempt 1 on sub-a (it runs attempt 2 on sub-b); killing that process" },
    };

    [Theory]
    [MemberData(nameof(Explanations))]
    public void Ignored_and_refused_inputs_say_why(string situation, string input, string detail) =>
        Assert.Equal(detail, OrderScript.Step(OrderScript.In(situation), input, OrderScript.Later).Detail);
}
