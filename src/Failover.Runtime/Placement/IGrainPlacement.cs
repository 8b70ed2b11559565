using Failover.Runtime.Grains;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Placement;

/// <summary>
/// Chooses the silo of a new activation for the grain types it covers. Without one, a grain is activated on the
/// silo that first calls it. Registered with <c>services.AddSingleton&lt;IGrainPlacement, …&gt;()</c>.
/// </summary>
public interface IGrainPlacement
{
    /// <summary>Whether this placement decides for <paramref name="grain"/>.</summary>
    bool Covers(GrainId grain);

    /// <summary>
    /// The silo to activate <paramref name="grain"/> on, from <paramref name="activeSilos"/> (never empty: this silo is
    /// among them when it is Active); null keeps the activation on <paramref name="self"/>.
    /// </summary>
    SiloAddress? Choose(GrainId grain, IReadOnlyList<MembershipEntry> activeSilos, SiloAddress self);
}
