using Failover.Runtime.Configuration;
using Failover.Runtime.Membership;
using Failover.Runtime.Membership.Protocol;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Failover.Testing;

namespace Failover.Runtime.Tests.MembershipProtocol;

/// <summary>The protocol loop on a real SQLite membership table, with a fake probe transport, one round at a time.</summary>
public sealed class MembershipProtocolLoopTests
{
    [Fact]
    public async Task Healthy_peers_are_probed_with_the_probe_timeout_and_left_alone()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var peer = await h.AddPeerAsync(2);
        var joining = await h.AddPeerAsync(3, SiloStatus.Joining);
        var before = await h.ReadAsync();

        await h.RoundAsync();

        Assert.Equal([(peer, h.Options.ProbeTimeout)], h.Probes.Calls);
        var after = await h.ReadAsync();
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(SiloStatus.Active, after.Find(peer)!.Status);
        Assert.Equal(SiloStatus.Joining, after.Find(joining)!.Status);
        Assert.Equal(3, h.View.Current.Entries.Count);
        Assert.Empty(h.Fatal.Reasons);
    }

    [Fact]
    public async Task A_peer_whose_IAmAlive_stopped_is_declared_dead_with_a_version_cas_and_the_view_raises_it()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var peer = await h.AddPeerAsync(2);
        var changes = new List<MembershipSnapshot>();
        h.View.Changed += changes.Add;
        await h.RoundAsync();
        await h.StopRenewingAsync(peer, TimeSpan.FromSeconds(10));
        var before = await h.ReadAsync();

        await h.RoundAsync();

        var after = await h.ReadAsync();
        Assert.Equal(SiloStatus.Dead, after.Find(peer)!.Status);
        Assert.Empty(after.Find(peer)!.SuspectTimes);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.True(h.View.IsDead(peer));
        Assert.True(changes[^1].Find(peer)!.Status == SiloStatus.Dead);
        var logged = Assert.Single(h.Log.Matching("Declared silo"));
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal(peer, logged.Fields["SiloAddress"]);
        Assert.Equal("peer-2", logged.Fields["Node"]);
        Assert.Equal(DeathCause.LeaseExpired, logged.Fields["Cause"]);
        Assert.StartsWith("lease expired", (string)logged.Fields["Reason"]!, StringComparison.Ordinal);
        Assert.Equal(after.Version, logged.Fields["Version"]);
    }

    [Fact]
    public async Task Several_deaths_in_one_round_chain_their_compare_and_swaps()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var first = await h.AddPeerAsync(2);
        var second = await h.AddPeerAsync(3);
        await h.StopRenewingAsync(first, TimeSpan.FromSeconds(10));
        await h.StopRenewingAsync(second, TimeSpan.FromSeconds(10));
        var before = await h.ReadAsync();

        await h.RoundAsync();

        var after = await h.ReadAsync();
        Assert.Equal(before.Version + 2, after.Version);
        Assert.Equal((SiloStatus.Dead, SiloStatus.Dead), (after.Find(first)!.Status, after.Find(second)!.Status));
        Assert.Equal(2, h.Log.Matching("Declared silo").Count);
    }

    [Theory]
    [InlineData("missed")]
    [InlineData("thrown")]
    public async Task In_a_two_silo_table_three_missed_probes_declare_the_peer_dead_on_one_vote(string failure)
    {
        await using var h = await ProtocolHarness.StartAsync();
        var peer = await h.AddPeerAsync(2);
        if (failure == "missed")
        {
            h.Probes.Miss(peer);
        }
        else
        {
            h.Probes.Throw(peer, new InvalidOperationException("transport broke"));
        }

        await h.RoundAsync();
        await h.RoundAsync();
        var afterTwo = await h.RowAsync(peer);
        await h.RoundAsync();

        Assert.Equal((SiloStatus.Active, 0), (afterTwo.Status, afterTwo.SuspectTimes.Count));
        var row = await h.RowAsync(peer);
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Equal(h.Me, Assert.Single(row.SuspectTimes).Voter);
        var logged = Assert.Single(h.Log.Matching("Declared silo"));
        Assert.Equal(DeathCause.SuspicionQuorum, logged.Fields["Cause"]);
        Assert.Contains("1 of 1 votes", (string)logged.Fields["Reason"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_probe_declares_the_peer_of_a_two_silo_table_dead_at_once()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var peer = await h.AddPeerAsync(2);
        h.Probes.Refuse(peer);

        await h.RoundAsync();

        Assert.Equal(SiloStatus.Dead, (await h.RowAsync(peer)).Status);
    }

    [Fact]
    public async Task In_three_silos_the_first_vote_only_suspects_and_a_second_fresh_vote_kills()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var suspect = await h.AddPeerAsync(2);
        var witness = await h.AddPeerAsync(3);
        h.Probes.Miss(suspect);

        for (var round = 0; round < 3; round++)
        {
            await h.RoundAsync();
        }

        var suspected = await h.ReadAsync();
        Assert.Equal(SiloStatus.Active, suspected.Find(suspect)!.Status);
        Assert.Equal(h.Me, Assert.Single(suspected.Find(suspect)!.SuspectTimes).Voter);
        var logged = Assert.Single(h.Log.Matching("Suspecting silo"));
        Assert.Equal((suspect, 1, 2), (logged.Fields["SiloAddress"], logged.Fields["Votes"], logged.Fields["VotesNeeded"]));

        // My vote is still fresh: another round writes nothing.
        await h.RoundAsync();
        Assert.Equal(suspected.Version, (await h.ReadAsync()).Version);

        await h.AddVoteAsync(suspect, witness);
        await h.RoundAsync();

        var row = await h.RowAsync(suspect);
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Equal([witness, h.Me], row.SuspectTimes.Select(v => v.Voter));
        Assert.Equal(SiloStatus.Active, (await h.RowAsync(witness)).Status);
    }

    [Fact]
    public async Task A_lost_compare_and_swap_is_decided_again_next_round_without_throwing()
    {
        ConflictingMembershipTable? conflicting = null;
        await using var h = await ProtocolHarness.StartAsync(wrapLoopTable: t => conflicting = new ConflictingMembershipTable(t));
        var peer = await h.AddPeerAsync(2);
        await h.StopRenewingAsync(peer, TimeSpan.FromSeconds(10));
        conflicting!.Conflicts = 1;

        await h.RoundAsync();
        var afterConflict = await h.RowAsync(peer);
        await h.RoundAsync();

        Assert.Equal(SiloStatus.Active, afterConflict.Status);
        Assert.Equal(1, conflicting.LostUpdates);
        Assert.Equal(SiloStatus.Dead, (await h.RowAsync(peer)).Status);
    }

    [Fact]
    public async Task The_fatal_handler_is_called_once_when_someone_else_declares_this_silo_dead()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var peer = await h.AddPeerAsync(2);
        await h.RoundAsync();
        await h.SetStatusAsync(h.Me, SiloStatus.Dead);
        await h.StopRenewingAsync(peer, TimeSpan.FromSeconds(10));

        await h.RoundAsync();
        await h.RoundAsync();

        var reason = Assert.Single(h.Fatal.Reasons);
        Assert.Contains($"{h.Me} is marked Dead", reason, StringComparison.Ordinal);
        Assert.True(h.Loop.Exited);
        Assert.True(h.View.IsDead(h.Me));
        Assert.Equal(SiloStatus.Active, (await h.RowAsync(peer)).Status);
        Assert.Equal(LogLevel.Critical, Assert.Single(h.Log.Matching($"Silo {h.Me} must stop")).Level);
    }

    [Fact]
    public async Task The_fatal_handler_is_called_when_this_silos_row_is_gone()
    {
        await using var h = await ProtocolHarness.StartAsync();
        await h.SetStatusAsync(h.Me, SiloStatus.Dead);
        Assert.Equal(1, await h.Table.CleanupDefunctEntriesAsync(DateTime.UtcNow.AddDays(1), CancellationToken.None));

        await h.RoundAsync();

        Assert.Contains("gone from the membership table", Assert.Single(h.Fatal.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaving_gracefully_is_not_fatal()
    {
        await using var h = await ProtocolHarness.StartAsync();
        await h.Agent.BeginShutdownAsync(CancellationToken.None);
        await h.Agent.LeaveAsync(CancellationToken.None);

        await h.RoundAsync();

        Assert.Equal(SiloStatus.Dead, (await h.RowAsync(h.Me)).Status);
        Assert.Empty(h.Fatal.Reasons);
        Assert.False(h.Loop.Exited);
    }

    [Fact]
    public async Task A_silo_that_is_not_Active_does_not_probe()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var peer = await h.AddPeerAsync(2);
        await h.StopRenewingAsync(peer, TimeSpan.FromSeconds(10));
        await h.Agent.BeginShutdownAsync(CancellationToken.None);

        await h.RoundAsync();

        Assert.Empty(h.Probes.Calls);
        Assert.Equal(SiloStatus.Active, (await h.RowAsync(peer)).Status);
    }

    [Fact]
    public async Task A_silo_whose_lease_lapsed_neither_probes_nor_writes_deaths_or_votes()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var expired = await h.AddPeerAsync(2);
        var refusing = await h.AddPeerAsync(3);
        h.Probes.Refuse(refusing);
        await h.StopRenewingAsync(expired, TimeSpan.FromSeconds(10));
        await h.StopLocalRenewalsAsync();
        h.Time.Jump(h.Options.LeaseTimeout);
        var before = await h.ReadAsync();

        await h.RoundAsync();

        Assert.Empty(h.Probes.Calls);
        Assert.Equal(before.Version, (await h.ReadAsync()).Version);
        Assert.Single(h.Log.Matching($"Silo {h.Me} has not renewed its lease"));
        Assert.Empty(h.Fatal.Reasons);
    }

    [Fact]
    public async Task A_probe_that_never_completes_counts_as_missed_after_twice_the_probe_timeout()
    {
        var options = new MembershipOptions { NumMissedProbesLimit = 1, LeaseTimeout = TimeSpan.FromMinutes(1), DeathTimeout = TimeSpan.FromMinutes(2) };
        await using var h = await ProtocolHarness.StartAsync(options);
        var peer = await h.AddPeerAsync(2);
        h.Probes.Hang(peer);

        var round = h.RoundAsync();
        await Eventually.True(() =>
        {
            h.Time.Advance(options.ProbeTimeout);
            return round.IsCompleted;
        }, "the round gave up on the hanging probe");
        await round;

        Assert.Equal(SiloStatus.Dead, (await h.RowAsync(peer)).Status);
    }

    [Fact]
    public async Task RefreshNow_publishes_the_table_to_the_view()
    {
        await using var h = await ProtocolHarness.StartAsync();
        await h.RoundAsync();
        var changes = new List<MembershipSnapshot>();
        h.View.Changed += changes.Add;
        var peer = await h.AddPeerAsync(2);

        await h.Loop.RefreshNowAsync(CancellationToken.None);

        Assert.True(h.View.IsAlive(peer));
        Assert.Single(changes);
        Assert.DoesNotContain(h.Probes.Calls, c => c.Target == peer);
    }

    [Fact]
    public async Task Started_the_loop_runs_a_round_at_once_and_then_every_probe_period()
    {
        await using var h = await ProtocolHarness.StartAsync();
        var first = await h.AddPeerAsync(2);
        var second = await h.AddPeerAsync(3);
        await h.StopRenewingAsync(first, TimeSpan.FromSeconds(10));

        h.Loop.Start();
        await Eventually.True(() => h.View.IsDead(first), "the first round declared the expired peer dead");
        await h.StopRenewingAsync(second, TimeSpan.FromSeconds(10));
        h.Time.Advance(h.Options.ProbePeriod);
        await Eventually.True(() => h.View.IsDead(second), "the next round declared the second peer dead");
        await h.Loop.StopAsync();

        Assert.Equal(SiloStatus.Dead, (await h.RowAsync(second)).Status);
    }
}
