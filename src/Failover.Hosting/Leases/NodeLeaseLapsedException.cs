namespace Failover.Hosting.Leases;

/// <summary>A product grain call reached a silo whose node lease had lapsed and did not come back in time.</summary>
[GenerateSerializer]
[Alias("Failover.NodeLeaseLapsedException")]
public sealed class NodeLeaseLapsedException : Exception
{
    public NodeLeaseLapsedException(string message) : base(message)
    {
    }

    public NodeLeaseLapsedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public NodeLeaseLapsedException()
    {
    }
}
