using Failover.Agents.Orders;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Orders;

public sealed class OrderSubmissionTests
{
    private static readonly JobSpec Hello = new() { Id = "hello", Agent = "agent-1", Command = "/bin/echo" };

    private static OrderRequest Request(string id = "o1", string job = "hello", string? file = "a.csv") => new()
    {
        Id = id,
        Job = job,
        Arguments = file is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["file"] = file },
    };

    [Fact]
    public void A_new_submission_creates_a_pending_order()
    {
        var decision = OrderSubmissions.Decide(null, Request(), Hello, OrderScript.T0);
        Assert.Equal(SubmitOutcome.Created, decision.Outcome);
        var order = decision.Order!;
        Assert.Equal(("o1", "hello", OrderState.Pending, 1, OrderScript.T0), (order.Id, order.Job, order.State, order.Attempt, order.Created));
        Assert.Equal(OrderScript.Arguments, order.Arguments);
        Assert.Equal([new OrderHistoryEntry(OrderScript.T0, OrderState.Pending, "submitted")], order.History);
        Assert.Null(decision.Refusal);
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Processing")]
    [InlineData("Failed")]
    public void The_same_submission_again_returns_the_existing_order_as_is(string situation)
    {
        var existing = OrderScript.In(situation);
        var decision = OrderSubmissions.Decide(existing, Request(), Hello, OrderScript.Later);
        Assert.Equal(SubmitOutcome.Duplicate, decision.Outcome);
        Assert.Same(existing, decision.Order);
    }

    [Fact]
    public void A_duplicate_is_returned_even_when_its_job_has_left_the_topology() =>
        Assert.Equal(SubmitOutcome.Duplicate, OrderSubmissions.Decide(OrderScript.In("Finished"), Request(), null, OrderScript.Later).Outcome);

    public static TheoryData<string, string, string?, string, OrderReason?> Refusals => new()
    {
        { "o1", "other", "a.csv", "order o1 already exists for job hello, not other; an order id names one submission", null },
        { "o1", "hello", "b.csv", "order o1 already exists with other arguments; an order id names one submission", null },
        { "o1", "hello", null, "order o1 already exists with other arguments; an order id names one submission", null },
        { "o2", "nope", "a.csv", "no such job: nope", OrderReason.NoSuchJob },
        { "", "hello", "a.csv", "an order id must not be empty", null },
        { "o\n2", "hello", "a.csv", "an order id must not contain control characters", null },
        { new string('x', 513), "hello", "a.csv", "order id is 513 characters long; at most 512", null },
        { "o2", "hello", new string('v', 4097), "argument 'file' is 4097 characters long; at most 4096", null },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refused_submissions_say_why_and_create_nothing(string id, string job, string? file, string refusal, OrderReason? reason)
    {
        var existing = OrderScript.In("Pending"); // stored under o1
        var decision = OrderSubmissions.Decide(id == "o1" ? existing : null, Request(id, job, file), job == "hello" ? Hello : null, OrderScript.Later);
        Assert.Equal(SubmitOutcome.Refused, decision.Outcome);
        Assert.Null(decision.Order);
        Assert.Equal(refusal, decision.Refusal);
        Assert.Equal(reason, decision.RefusalReason);
    }

    [Fact]
    public void A_file_order_id_is_accepted() =>
        Assert.Equal(SubmitOutcome.Created, OrderSubmissions.Decide(null, Request("file:inbox:report 2025-03-01.csv"), Hello, OrderScript.T0).Outcome);

    [Fact]
    public void Arguments_missing_from_the_request_are_none() =>
        Assert.Empty(OrderSubmissions.Decide(null, Request() with { Arguments = null! }, Hello, OrderScript.T0).Order!.Arguments);
}
