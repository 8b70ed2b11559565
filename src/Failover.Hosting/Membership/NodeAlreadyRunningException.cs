namespace Failover.Hosting.Membership;

/// <summary>Another live silo already runs under this silo's node name (<c>--node</c>).</summary>
public sealed class NodeAlreadyRunningException(string message) : Exception(message);
