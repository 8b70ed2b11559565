using Orleans.Runtime;
namespace Failover.Storage.Membership;

/// <summary>One row of OrleansMembershipTable. All times are UTC on the database clock.</summary>
public sealed record MembershipRow
{
    public required SiloAddress Address { get; init; }

    public required string SiloName { get; init; }

    public required string HostName { get; init; }

    public required SiloStatus Status { get; init; }

    /// <summary>Gateway port for clients; 0 when the silo is no gateway.</summary>
    public int ProxyPort { get; init; }

    public IReadOnlyList<SuspectVote> SuspectTimes { get; init; } = [];

    public required DateTime StartTime { get; init; }

    public required DateTime IAmAliveTime { get; init; }
}
