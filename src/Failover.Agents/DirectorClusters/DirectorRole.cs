namespace Failover.Agents.DirectorClusters;

public enum DirectorRole
{
    Standby,
    Active,
}
