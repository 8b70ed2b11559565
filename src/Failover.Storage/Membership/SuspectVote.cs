using Orleans.Runtime;
namespace Failover.Storage.Membership;

/// <summary>One suspicion vote: which silo suspected the row's silo, and when (database clock, UTC).</summary>
public sealed record SuspectVote(SiloAddress Voter, DateTime Time);
