using System.Collections.Immutable;
using System.Net;
using Failover.Hosting.Placement;
using Orleans.Runtime.Placement;

namespace Failover.Hosting.Tests;

/// <summary>Placement by node rules: a witness kept off the nodes it judges, decided alike by every silo that asks.</summary>
public sealed class NodeRulePlacementTests
{
    private static readonly SiloAddress A = Silo(1);
    private static readonly SiloAddress B = Silo(2);
    private static readonly SiloAddress C = Silo(3);
    private static readonly SiloAddress D = Silo(4);

    private static readonly ClusterMember[] Members =
    [
        new(A, SiloStatus.Active, "node-a"),
        new(B, SiloStatus.Active, "node-b"),
        new(C, SiloStatus.Active, "node-c"),
        new(D, SiloStatus.Active, "node-d"),
    ];

    [Fact]
    public async Task A_witness_goes_off_the_avoided_nodes_and_every_caller_chooses_the_same_silo()
    {
        var director = Director(new AvoidRule("node-a", "node-b"));

        for (var n = 0; n < 50; n++)
        {
            var grain = Witness($"cluster-{n}");
            var chosen = await ChooseFromEachAsync(director, grain, [A, B, C, D]);

            var silo = Assert.Single(chosen.Distinct());
            Assert.Contains(silo, new[] { C, D });
        }
    }

    [Fact]
    public async Task The_hash_spreads_witnesses_over_the_silos_they_may_live_on()
    {
        var director = Director(new AvoidRule("node-a"));

        var chosen = new HashSet<SiloAddress>();
        for (var n = 0; n < 50; n++)
        {
            chosen.Add(await director.OnAddActivation(new NodeRulePlacement(), Target(Witness($"cluster-{n}")), new Context(A, [A, B, C, D])));
        }

        Assert.Equal([B, C, D], chosen.OrderBy(s => s.Endpoint.Port));
    }

    [Fact]
    public async Task When_every_silo_is_on_an_avoided_node_the_witness_stays_with_the_caller()
    {
        var director = Director(new AvoidRule("node-a", "node-b", "node-c", "node-d"));
        var grain = Witness("cluster-1");

        Assert.Equal([A, B, C, D], await ChooseFromEachAsync(director, grain, [A, B, C, D]));
    }

    [Fact]
    public async Task Silos_that_are_not_Active_or_cannot_host_the_grain_are_not_chosen()
    {
        var members = Members.Select(m => m.SiloAddress == C ? new ClusterMember(C, SiloStatus.ShuttingDown, "node-c") : m).ToArray();
        var director = Director(new AvoidRule("node-a"), members);

        // D is Active but not compatible (another version, a placement filter); C is shutting down: B is all that is left.
        for (var n = 0; n < 20; n++)
        {
            Assert.Equal([B, B], await ChooseFromEachAsync(director, Witness($"cluster-{n}"), [A, B, C], [A, C]));
        }
    }

    [Fact]
    public async Task A_grain_no_rule_covers_stays_with_the_caller_when_it_can()
    {
        var director = Director(new AvoidRule("node-a"));
        var other = GrainId.Create("other", "x");

        Assert.Equal([A, B], await ChooseFromEachAsync(director, other, [A, B, C, D], [A, B]));
        var away = await director.OnAddActivation(new NodeRulePlacement(), Target(other), new Context(Silo(9), [C, D]));
        Assert.Contains(away, new[] { C, D });
    }

    [Fact]
    public async Task The_rule_itself_returns_no_choice_when_every_candidate_is_avoided()
    {
        var rule = new AvoidRule("node-a", "node-b");

        Assert.Null(await rule.ChooseAsync(Witness("x"), Members[..2], A, CancellationToken.None));
        Assert.Equal(C, await rule.ChooseAsync(Witness("x"), Members[..3], A, CancellationToken.None));
        Assert.Equal(C, await rule.ChooseAsync(Witness("x"), Members[..3], C, CancellationToken.None));
        Assert.Equal(C, await rule.ChooseAsync(Witness("x"), Members[..3], B, CancellationToken.None));
    }

    /// <summary>What the director chooses when each of <paramref name="callers"/> asks (all with the same compatible silos).</summary>
    private static async Task<SiloAddress[]> ChooseFromEachAsync(
        NodeRulePlacementDirector director, GrainId grain, SiloAddress[] compatible, SiloAddress[]? callers = null)
    {
        var chosen = new List<SiloAddress>();
        foreach (var caller in callers ?? compatible)
        {
            chosen.Add(await director.OnAddActivation(new NodeRulePlacement(), Target(grain), new Context(caller, compatible)));
        }

        return [.. chosen];
    }

    private static NodeRulePlacementDirector Director(INodePlacementRule rule, ClusterMember[]? members = null) =>
        new([rule], new Membership(members ?? Members));

    private static GrainId Witness(string key) => GrainId.Create("witness", key);

    private static PlacementTarget Target(GrainId grain) => new(grain, [], GrainInterfaceType.Create("IWitness"), 0);

    private static SiloAddress Silo(int n) => SiloAddress.New(IPAddress.Parse($"10.0.0.{n}"), 11110 + n, 5);

    private sealed class AvoidRule(params string[] avoid) : AvoidNodesRule
    {
        public override bool Covers(GrainId grain) => grain.Type.ToString() == "witness";

        protected override ValueTask<IReadOnlyCollection<string>> NodesToAvoidAsync(GrainId grain, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyCollection<string>>(avoid);
    }

    private sealed class Context(SiloAddress local, SiloAddress[] compatible) : IPlacementContext
    {
        public SiloAddress LocalSilo => local;

        public SiloStatus LocalSiloStatus => SiloStatus.Active;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => compatible;

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) =>
            new Dictionary<ushort, SiloAddress[]> { [0] = compatible };
    }

    private sealed class Membership(ClusterMember[] members) : IClusterMembershipService
    {
        public ClusterMembershipSnapshot CurrentSnapshot { get; } =
            new(members.ToImmutableDictionary(m => m.SiloAddress), new MembershipVersion(7));

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress) => throw new NotSupportedException();
    }
}
