using Failover.Runtime.Membership;

namespace Failover.Runtime.Grains;

/// <summary>The directory gives the grain to another live silo: the call must go there.</summary>
public sealed class GrainOwnedElsewhereException : Exception
{
    public GrainOwnedElsewhereException(GrainId grainId, SiloAddress owner)
        : base($"Grain {grainId} is active on silo {owner}.")
    {
        GrainId = grainId;
        Owner = owner;
    }

    public GrainOwnedElsewhereException(string message) : base(message)
    {
    }

    public GrainOwnedElsewhereException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public GrainOwnedElsewhereException()
    {
    }

    public GrainId GrainId { get; }

    public SiloAddress? Owner { get; }
}
