using Failover.Agents.DirectorClusters;
using Failover.Agents.Dispatching;
using Failover.Agents.Topology;
using Failover.Testing;

namespace Failover.Agents.Tests.Dispatching;

/// <summary>
/// The hand-over of the active director's lead to a dispatcher, on one <see cref="ManualTimeProvider"/> with the
/// messages between them taking as long as each case says: the dispatcher counts the lead from its own ticket, which
/// left it before the director measured what was left of its lease, so it never leads after the director stopped acting.
/// </summary>
public sealed class LeadHandOverTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);
    private static readonly DateTime Utc = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TopologyDocument Topology = TopologyParser.Parse("""
        {
          "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-b" } } ],
          "subagents": [ { "id": "sub-a", "agent": "agent-1", "node": "node-a" } ],
          "subagentClusters": [ { "id": "workers", "agent": "agent-1", "subagents": { "sub-a": 1 } } ],
          "jobs": [ { "id": "work", "agent": "agent-1", "subagentCluster": "workers", "builtin": "noop" } ]
        }
        """);

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    private TimeSpan Now => MonotonicClock.Now(_clock);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 300)]
    [InlineData(300, 0)]
    [InlineData(150, 450)]
    public void A_dispatchers_lead_ends_no_later_than_the_directors_lease(int ticketTravelMs, int leadTravelMs)
    {
        var director = ActiveDirector(out var directorEnds);
        var dispatcher = new DispatcherCore("workers", new DispatcherSettings(), [], Now);

        // The dispatcher's answer to an earlier lead carries its ticket; the director measures its lease once that arrived.
        var ticket = dispatcher.Ticket(Now);
        _clock.Advance(TimeSpan.FromMilliseconds(ticketTravelMs));
        var lead = new DirectorLead("agent-1", director.Epoch, "node-a", director.ClusterState, director.Remaining(Now), ticket);
        _clock.Advance(TimeSpan.FromMilliseconds(leadTravelMs));
        Assert.True(dispatcher.Lead(lead, Now, Utc, Topology));

        Assert.True(dispatcher.IsLeading(Now), "the lead is taken");
        Assert.True(director.IsActing(directorEnds - TimeSpan.FromTicks(1)));
        Assert.False(director.IsActing(directorEnds));
        Assert.False(dispatcher.IsLeading(directorEnds), "the dispatcher leads no longer than the director acts");
        for (var at = Now; at <= directorEnds + Lease; at += TimeSpan.FromMilliseconds(10))
        {
            Assert.True(!dispatcher.IsLeading(at) || director.IsActing(at), $"the dispatcher leads at {at} while the director does not act");
        }
    }

    [Fact]
    public void A_lead_without_a_ticket_of_this_activation_sets_the_epoch_but_grants_no_time()
    {
        var director = ActiveDirector(out _);
        var earlier = new DispatcherCore("workers", new DispatcherSettings(), [], Now);
        var dispatcher = new DispatcherCore("workers", new DispatcherSettings(), [], Now);

        Assert.True(dispatcher.Lead(new DirectorLead("agent-1", director.Epoch, "node-a", director.ClusterState, director.Remaining(Now), null), Now, Utc, Topology));
        Assert.Equal((1L, "node-a"), (dispatcher.Epoch, dispatcher.LeadNode));
        Assert.False(dispatcher.IsLeading(Now));

        // A ticket of an earlier activation (another clock, perhaps on another silo) counts for nothing here either.
        Assert.True(dispatcher.Lead(new DirectorLead("agent-1", director.Epoch, "node-a", director.ClusterState, director.Remaining(Now), earlier.Ticket(Now)), Now, Utc, Topology));
        Assert.False(dispatcher.IsLeading(Now));

        Assert.True(dispatcher.Lead(new DirectorLead("agent-1", director.Epoch, "node-a", director.ClusterState, director.Remaining(Now), dispatcher.Ticket(Now)), Now, Utc, Topology));
        Assert.True(dispatcher.IsLeading(Now));
    }

    [Fact]
    public void A_newer_epoch_without_a_ticket_ends_the_lead_held_under_the_older_one()
    {
        var director = ActiveDirector(out _);
        var dispatcher = new DispatcherCore("workers", new DispatcherSettings(), [], Now);
        dispatcher.Lead(new DirectorLead("agent-1", director.Epoch, "node-a", director.ClusterState, director.Remaining(Now), dispatcher.Ticket(Now)), Now, Utc, Topology);
        Assert.True(dispatcher.IsLeading(Now));

        Assert.True(dispatcher.Lead(new DirectorLead("agent-1", 2, "node-b", DirectorClusterState.SwitchedOver, Lease, null), Now, Utc, Topology));

        Assert.Equal((2L, "node-b"), (dispatcher.Epoch, dispatcher.LeadNode));
        Assert.False(dispatcher.IsLeading(Now));
    }

    /// <summary>A director whose heartbeat was answered Active 200 ms after it sent it; its lease ends at <paramref name="ends"/>.</summary>
    private DirectorLease ActiveDirector(out TimeSpan ends)
    {
        var director = new DirectorLease();
        var heartbeatSent = Now;
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(director.OnAnswer(heartbeatSent, new DirectorAssignment(DirectorRole.Active, 1, DirectorClusterState.Coupled, Lease)));
        ends = heartbeatSent + Lease;
        return director;
    }
}
