namespace Failover.Hosting.Membership;

/// <summary>What a TCP connection attempt to a silo's port found.</summary>
public enum PortAnswer
{
    /// <summary>Something listens there.</summary>
    Accepted,

    /// <summary>The host answered that nothing listens there (a TCP reset): the process that owned the port is gone.</summary>
    Refused,

    /// <summary>No answer in time, or another network error: nothing is known about the process.</summary>
    Unknown,
}
