using Failover.Agents.Dispatching;

namespace Failover.Agents.Tests.Dispatching;

public sealed class SelectionTests
{
    /// <summary>Candidates; what is unavailable (<see cref="SelectorHarness.Mark"/>); the next 6 choices.</summary>
    public static TheoryData<string, string, string> Sequences => new()
    {
        { "a:3 b:2 c:1", "", "a a a a a a" },               // fixed priority
        { "a:1 b:1 c:1", "", "a b c a b c" },               // round-robin
        { "c:0 a:0 b:0", "", "a b c a b c" },               // in ordinal id order, whatever the cluster's order
        { "a:2 b:2 c:1", "", "a b a b a b" },               // mixed tiers: the top group shares
        { "a:2 b:2 c:1", "-a", "b b b b b b" },
        { "a:2 b:2 c:1", "-a ~b", "c c c c c c" },          // the whole top group unavailable: the next tier
        { "a:2 b:1 c:1", "!a", "b c b c b c" },
        { "a:3 b:2 c:1", "~a", "b b b b b b" },
        { "a:3 b:2 c:1", "?a", "b b b b b b" },
        { "a:1 b:1 c:1", "-b", "a c a c a c" },             // skipped without losing the turn of the others
        { "a:1 b:1 c:1", "-a -b -c", "- - - - - -" },
        { "a:-1 b:-5", "", "a a a a a a" },                 // negative priorities order the same way
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Chooses_by_priority_then_round_robin(string candidates, string unavailable, string expected) =>
        Assert.Equal(expected, new SelectorHarness(candidates).Mark(unavailable).Sequence(6));

    public static TheoryData<string, string, string> Reasons => new()
    {
        { "a:1 b:1 c:1", "-a !b ~c", "no subagent of cluster workers is available: a disabled, b at its limit 8, c not heartbeating" },
        { "a:2 b:1", "!a ?b", "no subagent of cluster workers is available: a at its limit 8, b not heartbeating" },
        { "z:5 a:1", "~z -a", "no subagent of cluster workers is available: z not heartbeating, a disabled" }, // in the order tried
        { "", "", "cluster workers has no subagents" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Nothing_available_says_why(string candidates, string unavailable, string reason)
    {
        var selection = new SelectorHarness(candidates).Mark(unavailable).Select();
        Assert.False(selection.Found);
        Assert.Null(selection.Subagent);
        Assert.Equal(reason, selection.Reason);
    }

    [Fact]
    public void The_reason_names_the_subagents_own_limit_and_its_first_problem()
    {
        var selector = new SelectorHarness("a:1 b:1")
            .Full("a", 3)
            .With("b", SelectorHarness.Available with { Enabled = false, Heartbeating = false, Running = 9 });
        Assert.Equal("no subagent of cluster workers is available: a at its limit 3, b disabled", selector.Select().Reason);
    }

    [Theory]
    [InlineData(null, 100, true)]
    [InlineData(2, 1, true)]
    [InlineData(2, 2, false)]
    [InlineData(2, 3, false)]
    [InlineData(0, 0, false)]
    public void The_jobs_process_limit_holds_across_the_cluster(int? limit, int running, bool found)
    {
        var selector = new SelectorHarness("a:1 b:1") { Job = new JobLoad("hello", limit, running) };
        var selection = selector.Select();
        Assert.Equal(found, selection.Found);
        Assert.Equal(found ? null : $"job hello is at its process limit {limit}", selection.Reason);
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(8, false)]
    [InlineData(9, false)]
    public void A_subagent_is_available_below_its_process_limit(int running, bool found)
    {
        var selector = new SelectorHarness("a:1").With("a", SelectorHarness.Available with { Running = running });
        Assert.Equal(found, selector.Select().Found);
    }

    [Fact]
    public void A_subagent_that_comes_back_is_chosen_on_the_next_selection()
    {
        var selector = new SelectorHarness("a:1 b:1").Disabled("a").Silent("b");
        Assert.False(selector.Select().Found);
        selector.Up("b");
        Assert.Equal("b", selector.Select().Subagent);
    }

    [Fact]
    public void Round_robin_goes_on_after_the_last_chosen_when_availability_changes()
    {
        var selector = new SelectorHarness("a:1 b:1 c:1 d:1");
        Assert.Equal("a b", selector.Sequence(2));
        selector.Disabled("c");
        Assert.Equal("d a b d", selector.Sequence(4));
        selector.Up("c");
        Assert.Equal("a b c d", selector.Sequence(4));
    }

    [Fact]
    public void Round_robin_goes_on_when_the_last_chosen_left_the_cluster()
    {
        var before = new SelectorHarness("a:1 b:1 c:1");
        before.Sequence(2); // a b
        var after = new SelectorHarness("a:1 c:1") { Cursors = before.Cursors };
        Assert.Equal("c a c", after.Sequence(3));
    }
}
