using System.Net;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace Failover.Agents.Tests.DirectorClusters;

/// <summary>Where a director cluster's witness is placed: off its director nodes, even by a silo that has not seen the apply yet.</summary>
public sealed class DirectorClusterPlacementTests
{
    private const string Topology = """
        { "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-b" } } ] }
        """;

    private static readonly SiloAddress A = Silo(11111);
    private static readonly SiloAddress B = Silo(11121);
    private static readonly SiloAddress C = Silo(11131);
    private static readonly ClusterMember[] Members = [new(A, SiloStatus.Active, "node-a"), new(B, SiloStatus.Active, "node-b"), new(C, SiloStatus.Active, "node-c")];

    [Fact]
    public async Task A_silo_that_knows_the_agent_cluster_places_its_witness_off_the_director_nodes_without_reading()
    {
        var topology = new TopologyView();
        topology.Update(1, TopologyParser.Parse(Topology));
        var reads = 0;
        var placement = new DirectorClusterPlacement(topology, _ => { reads++; return Task.CompletedTask; }, NullLogger<DirectorClusterPlacement>.Instance);

        Assert.Equal(C, await placement.ChooseAsync(Witness, Members, A, CancellationToken.None));
        Assert.Equal(0, reads);
    }

    [Fact]
    public async Task A_silo_that_has_not_seen_the_apply_reads_the_topology_first_and_places_the_witness_off_the_director_nodes()
    {
        var topology = new TopologyView();
        var placement = new DirectorClusterPlacement(
            topology, _ => Task.FromResult(topology.Update(1, TopologyParser.Parse(Topology))), NullLogger<DirectorClusterPlacement>.Instance);

        Assert.Equal(C, await placement.ChooseAsync(Witness, Members, A, CancellationToken.None));
        Assert.Equal(C, await placement.ChooseAsync(Witness, Members, B, CancellationToken.None));
    }

    [Fact]
    public async Task When_the_topology_cannot_be_read_the_witness_is_placed_without_the_rule()
    {
        var topology = new TopologyView();
        var placement = new DirectorClusterPlacement(
            topology, _ => Task.FromException(new TimeoutException("no answer")), NullLogger<DirectorClusterPlacement>.Instance);

        var chosen = await placement.ChooseAsync(Witness, Members, A, CancellationToken.None);

        Assert.Contains(chosen, Members.Select(m => m.SiloAddress));
    }

    private static GrainId Witness => GrainId.Create(DirectorClusterPlacement.GrainType, "agent-1");

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 5);
}
