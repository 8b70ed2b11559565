namespace Failover.Agents.Tests.Dispatching;

public sealed class DistributionTests
{
    [Fact]
    public void Equal_priorities_share_999_selections_exactly()
    {
        var counts = new SelectorHarness("sub-a:1 sub-b:1 sub-c:1").Distribution(999);
        Assert.Equal(new Dictionary<string, int> { ["sub-a"] = 333, ["sub-b"] = 333, ["sub-c"] = 333 }, counts);
    }

    [Fact]
    public void Mixed_tiers_share_only_inside_the_top_group()
    {
        var counts = new SelectorHarness("a:2 b:2 c:1").Distribution(1000);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 500, ["b"] = 500 }, counts);
    }

    [Fact]
    public void Fixed_priority_puts_everything_on_the_highest_available_then_on_the_next()
    {
        var selector = new SelectorHarness("a:3 b:2 c:1");
        Assert.Equal(new Dictionary<string, int> { ["a"] = 100 }, selector.Distribution(100));
        selector.Silent("a");
        Assert.Equal(new Dictionary<string, int> { ["b"] = 100 }, selector.Distribution(100));
        selector.Full("b");
        Assert.Equal(new Dictionary<string, int> { ["c"] = 100 }, selector.Distribution(100));
        selector.Up("a");
        Assert.Equal(new Dictionary<string, int> { ["a"] = 100 }, selector.Distribution(100));
    }

    [Fact]
    public void A_subagent_unavailable_for_a_while_does_not_starve_or_flood_the_others()
    {
        var selector = new SelectorHarness("a:1 b:1 c:1");
        var blocks = new List<(bool BAway, Dictionary<string, int> Counts)>();
        for (var i = 0; i < 900; i++)
        {
            // b is away for every third block of 30 selections.
            if (i % 90 == 60)
            {
                selector.Disabled("b");
            }
            else if (i % 90 == 0)
            {
                selector.Up("b");
            }

            if (i % 30 == 0)
            {
                blocks.Add((i % 90 >= 60, new Dictionary<string, int>(StringComparer.Ordinal)));
            }

            var chosen = selector.Select().Subagent!;
            var counts = blocks[^1].Counts;
            counts[chosen] = counts.GetValueOrDefault(chosen) + 1;
        }

        // Every block of 30 is shared evenly among the subagents there: b gets no burst to catch up when it returns,
        // and a and c are not starved of the selections b misses.
        foreach (var (bAway, counts) in blocks)
        {
            var expected = bAway
                ? new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 15, ["c"] = 15 }
                : new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 10, ["b"] = 10, ["c"] = 10 };
            Assert.Equal(expected, counts);
        }
    }
}
