namespace Failover.Runtime.Membership;

/// <summary>Silo status codes, numerically identical to Orleans' so the membership table reads the same.</summary>
public enum SiloStatus
{
    None = 0,
    Created = 1,
    Joining = 2,
    Active = 3,
    ShuttingDown = 4,
    Stopping = 5,
    Dead = 6,
}
