using Failover.Agents.Topology;

namespace Failover.Agents.Orders;

public enum SubmitOutcome
{
    /// <summary>A new order: persist it before acknowledging.</summary>
    Created,

    /// <summary>The same submission again: the existing order, returned as is.</summary>
    Duplicate,

    /// <summary>Not accepted; nothing changes.</summary>
    Refused,
}

/// <summary>The answer to a submission: the order (Created, Duplicate) or the refusal text and, for an unknown job, NoSuchJob.</summary>
public sealed record SubmitDecision(SubmitOutcome Outcome, OrderRecord? Order, string? Refusal = null, OrderReason? RefusalReason = null);

/// <summary>
/// Idempotent submission, pure. The order id names one submission: the same id with the same job and arguments is the
/// existing order (even if the job has since left the topology); the same id with anything else is refused.
/// </summary>
public static class OrderSubmissions
{
    public const int MaxIdLength = 512;

    /// <param name="existing">The order already stored under the request's id, if any.</param>
    /// <param name="job">The request's job in the current topology, or null when there is none.</param>
    public static SubmitDecision Decide(OrderRecord? existing, OrderRequest request, JobSpec? job, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (InvalidId(request.Id) is { } badId)
        {
            return Refuse(badId);
        }

        // A JSON body may carry "arguments": null.
        var arguments = request.Arguments ?? new Dictionary<string, string>();
        if (existing is not null)
        {
            return existing.Job != request.Job
                ? Refuse($"order {request.Id} already exists for job {existing.Job}, not {request.Job}; an order id names one submission")
                : !OrderArguments.Same(existing.Arguments, arguments)
                    ? Refuse($"order {request.Id} already exists with other arguments; an order id names one submission")
                    : new SubmitDecision(SubmitOutcome.Duplicate, existing);
        }

        if (job is null || job.Id != request.Job)
        {
            return Refuse($"no such job: {request.Job}", OrderReason.NoSuchJob);
        }

        if (OrderArguments.Validate(arguments) is { } badArguments)
        {
            return Refuse(badArguments);
        }

        return new SubmitDecision(SubmitOutcome.Created, OrderMachine.Submit(request.Id, request.Job, arguments, now).Order);
    }

    /// <summary>1-512 characters without control characters (file orders are <c>file:&lt;watch&gt;:&lt;file name&gt;</c>).</summary>
    public static string? InvalidId(string? id) =>
        string.IsNullOrEmpty(id) ? "an order id must not be empty"
        : id.Length > MaxIdLength ? $"order id is {id.Length} characters long; at most {MaxIdLength}"
        : id.Any(char.IsControl) ? "an order id must not contain control characters"
        : null;

    private static SubmitDecision Refuse(string text, OrderReason? reason = null) => new(SubmitOutcome.Refused, null, text, reason);
}
