namespace Failover.Runtime.Membership.Protocol;

/// <summary>Where this silo's own membership stood when the table was read.</summary>
public enum LocalMembershipPhase
{
    /// <summary>The row may not be written yet: a missing row means nothing.</summary>
    NotJoined,

    /// <summary>The row was written before the read: missing or Dead means someone removed this silo.</summary>
    Joined,

    /// <summary>This silo wrote its own row Dead (graceful shutdown): nothing to decide any more.</summary>
    Left,
}
