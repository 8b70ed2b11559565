using Failover.Agents.FailoverPairs;
using Failover.Runtime.Configuration;
using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;
using Microsoft.Extensions.Options;

namespace Failover.Agents.Tests.FailoverPairs;

public sealed class WitnessPlacementTests
{
    private static readonly FailoverAgentConfig Config = new(
        "a.json", PairRole.Primary, PairBehavior.Standard, "127.0.0.1", 11112, "", "demo.agent", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

    [Theory]
    [InlineData("FailoverPairWitnessGrain", "demo.agent", true)]
    [InlineData("@Failover.Agents.FailoverPairs.IFailoverPairWitnessGrain", "demo.agent", true)]
    [InlineData("FailoverPairWitnessGrain", "other.agent", false)]
    [InlineData("FailoverPairRegistryGrain", "demo.agent", false)]
    public void It_covers_the_witnesses_of_this_silos_pairs(string type, string key, bool covered)
    {
        var (placement, _) = Create();

        Assert.Equal(covered, placement.Covers(new GrainId(type, key)));
    }

    [Fact]
    public void The_witness_goes_to_a_third_node_when_there_is_one()
    {
        var (placement, self) = Create();
        var peer = new SiloAddress("127.0.0.1", 11112, 5);
        var central = new SiloAddress("127.0.0.1", 11113, 5);

        var chosen = placement.Choose(new GrainId("FailoverPairWitnessGrain", "demo.agent"), [Entry(self, "node-a"), Entry(peer, "node-b"), Entry(central, "node-c")], self);

        Assert.Equal(central, chosen);
        Assert.Null(placement.Choose(new GrainId("FailoverPairWitnessGrain", "demo.agent"), [Entry(self, "node-a"), Entry(peer, "node-b")], self));
    }

    private static (WitnessPlacement Placement, SiloAddress Self) Create()
    {
        var silo = new LocalSilo(Options.Create(new SiloOptions { Node = "node-a", Port = 11111 }), TimeProvider.System);
        return (new WitnessPlacement([Config], silo), silo.Address);
    }

    private static MembershipEntry Entry(SiloAddress address, string name) => new()
    {
        Address = address,
        SiloName = name,
        HostName = "host",
        Status = SiloStatus.Active,
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
    };
}
