namespace Failover.Runtime.Membership.Protocol;

/// <summary>What <see cref="MembershipDecisions"/> asks the protocol loop to do after one round.</summary>
public abstract record MembershipCommand;

/// <summary>Write the silo's row Dead (version compare-and-swap). A quorum death also records this silo's vote.</summary>
public sealed record DeclareDead(SiloAddress Silo, DeathCause Cause, string Reason) : MembershipCommand;

/// <summary>Write this silo's vote into the suspect's SuspectTimes; <paramref name="Votes"/> counts it.</summary>
public sealed record AddSuspicion(SiloAddress Silo, int Votes, int VotesNeeded, string Reason) : MembershipCommand;

/// <summary>This silo is Dead in the table (or its row vanished): it must stop at once.</summary>
public sealed record ExitSelf(string Reason) : MembershipCommand;

public enum DeathCause
{
    /// <summary>IAmAliveTime older than DeathTimeout on the database clock.</summary>
    LeaseExpired,

    /// <summary>Failed probes and enough fresh suspicion votes.</summary>
    SuspicionQuorum,
}
