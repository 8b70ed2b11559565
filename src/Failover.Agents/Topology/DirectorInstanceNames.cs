namespace Failover.Agents.Topology;

public static class DirectorInstanceNames
{
    public static DirectorInstance Other(this DirectorInstance instance) =>
        instance == DirectorInstance.Primary ? DirectorInstance.Secondary : DirectorInstance.Primary;

    public static string Name(this DirectorInstance instance) => instance == DirectorInstance.Primary ? "primary" : "secondary";
}
