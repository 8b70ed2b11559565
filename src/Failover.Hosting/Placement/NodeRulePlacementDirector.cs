using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Failover.Hosting.Placement;

/// <summary>Places a grain by the first <see cref="INodePlacementRule"/> that covers it; all callers agree, since the choice depends only on the grain and the membership.</summary>
internal sealed class NodeRulePlacementDirector(IEnumerable<INodePlacementRule> rules, IClusterMembershipService membership) : IPlacementDirector
{
    private readonly INodePlacementRule[] _rules = [.. rules];

    /// <summary>How long a rule may read what it needs before the grain is placed without its choice.</summary>
    public static readonly TimeSpan RuleTimeout = TimeSpan.FromSeconds(5);

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var compatible = context.GetCompatibleSilos(target);
        var members = membership.CurrentSnapshot.Members;
        var candidates = compatible
            .Select(silo => members.TryGetValue(silo, out var member) && member.Status == SiloStatus.Active ? member : null)
            .OfType<ClusterMember>()
            .OrderBy(member => member.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .ToList();
        var grain = target.GrainIdentity;
        var local = context.LocalSilo;
        if (candidates.Count > 0 && _rules.FirstOrDefault(rule => rule.Covers(grain)) is { } rule)
        {
            using var timeout = new CancellationTokenSource(RuleTimeout);
            if (await rule.ChooseAsync(grain, candidates, local, timeout.Token) is { } chosen)
            {
                return chosen;
            }
        }

        if (compatible.Contains(local))
        {
            return local;
        }

        var ordered = compatible.OrderBy(silo => silo.ToParsableString(), StringComparer.Ordinal).ToArray();
        return ordered[(int)(grain.GetUniformHashCode() % (uint)ordered.Length)];
    }
}
