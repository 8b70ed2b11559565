using Failover.Runtime.Configuration;
using Failover.Runtime.Membership.Protocol;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Membership;

/// <summary>
/// Self-fencing (DESIGN §4, invariant 4): a silo that has not renewed its lease for LeaseTimeout — measured on its own
/// monotonic clock from the start of the last successful renewal — runs no grain turn, timer or reminder until it
/// renews. DeathTimeout &gt; LeaseTimeout, so it stops before anyone may declare it dead and take its grains.
/// </summary>
internal sealed class LeaseGate(MembershipAgent agent, IOptions<MembershipOptions> options, TimeProvider timeProvider)
{
    /// <summary>True before the silo joins (nothing runs then) and while the lease is fresh.</summary>
    public bool IsValid =>
        agent.Status == SiloStatus.None
        || SiloLease.IsValid(timeProvider.GetTimestamp(), agent.LastRenewalStartTimestamp, timeProvider.TimestampFrequency, options.Value.LeaseTimeout);

    public async ValueTask WaitUntilValidAsync(CancellationToken cancellationToken)
    {
        while (!IsValid)
        {
            await agent.NextRenewal.WaitAsync(cancellationToken);
        }
    }
}
