using Failover.Runtime.Membership;

namespace Failover.Runtime.Invocation;

/// <summary>A silo answered "not here" to a call: the router re-routes it once.</summary>
internal sealed class NotOwnerException(string message, SiloAddress? owner) : Exception(message)
{
    public SiloAddress? Owner { get; } = owner;
}
