using System.Collections.Immutable;

namespace Failover.Agents.Orders;

/// <summary>What <c>client submit</c> asks for: an order id (the idempotency key), a job and its arguments.</summary>
[GenerateSerializer]
[Alias("Failover.OrderRequest")]
public sealed record OrderRequest
{
    [Id(0)]
    public required string Id { get; init; }

    [Id(1)]
    public required string Job { get; init; }

    [Id(2)]
    public IReadOnlyDictionary<string, string> Arguments { get; init; } = ImmutableDictionary<string, string>.Empty;
}
