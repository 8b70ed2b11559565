using System.Collections.Immutable;

namespace Failover.Agents.Orders;

/// <summary>What <c>client submit</c> asks for: an order id (the idempotency key), a job and its arguments.</summary>
public sealed record OrderRequest
{
    public required string Id { get; init; }

    public required string Job { get; init; }

    public IReadOnlyDictionary<string, string> Arguments { get; init; } = ImmutableDictionary<string, string>.Empty;
}
