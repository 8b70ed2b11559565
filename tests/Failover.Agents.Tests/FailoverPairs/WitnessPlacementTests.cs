using System.Net;
using Failover.Agents.FailoverPairs;
using Orleans.Runtime;

namespace Failover.Agents.Tests.FailoverPairs;

public sealed class WitnessPlacementTests
{
    private static readonly SiloAddress Self = Silo(11111);
    private static readonly SiloAddress Peer = Silo(11112);
    private static readonly SiloAddress Central = Silo(11113);

    [Theory]
    [InlineData(FailoverPairWitnessGrain.GrainType, "demo.agent", true)]
    [InlineData(FailoverPairWitnessGrain.GrainType, "other.agent", false)]
    [InlineData("failover-pair-registry", "demo.agent", false)]
    public void It_covers_the_witnesses_of_this_silos_pairs(string type, string key, bool covered)
    {
        var placement = Create(peerNode: null);

        Assert.Equal(covered, placement.Covers(Grain(type, key)));
    }

    [Fact]
    public async Task The_witness_goes_to_a_third_node_when_there_is_one()
    {
        var placement = Create(peerNode: "node-b");

        var chosen = await placement.ChooseAsync(Witness, [Member(Self, "node-a"), Member(Peer, "node-b"), Member(Central, "node-c")], Self, CancellationToken.None);

        Assert.Equal(Central, chosen);
    }

    [Fact]
    public async Task With_only_the_pairs_nodes_it_stays_with_the_caller()
    {
        var placement = Create(peerNode: "node-b");

        Assert.Null(await placement.ChooseAsync(Witness, [Member(Self, "node-a"), Member(Peer, "node-b")], Self, CancellationToken.None));
    }

    [Fact]
    public async Task Before_the_peer_is_heard_only_this_node_is_avoided()
    {
        var placement = Create(peerNode: null);

        var chosen = await placement.ChooseAsync(Witness, [Member(Self, "node-a"), Member(Peer, "node-b")], Self, CancellationToken.None);

        Assert.Equal(Peer, chosen);
    }

    private static GrainId Witness => Grain(FailoverPairWitnessGrain.GrainType, "demo.agent");

    private static WitnessPlacement Create(string? peerNode) =>
        new("node-a", identity => identity == "demo.agent" ? new PairNodes(identity, peerNode) : null);

    private static GrainId Grain(string type, string key) => GrainId.Create(type, key);

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 5);

    private static ClusterMember Member(SiloAddress address, string name) => new(address, SiloStatus.Active, name);
}
