using System.Globalization;
using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

/// <summary>
/// Seeded simulation of a pair under kills, restarts, partitions, central outages and witness moves. Runs
/// <see cref="DefaultSeeds"/> seeds (FAILOVER_SIM_SEEDS = another count; FAILOVER_SIM_SEED = replay that one seed).
/// </summary>
public sealed class PairSimulationTests
{
    private const int DefaultSeeds = 300;
    private static readonly TimeSpan s_faulty = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_calm = TimeSpan.FromSeconds(20);

    [Fact]
    public void Standard_behavior_never_runs_the_agent_on_both_nodes_and_settles_on_the_primary()
    {
        foreach (var seed in Seeds())
        {
            var sim = new PairSimulation(seed, PairBehavior.Standard);
            sim.Run(s_faulty, s_calm);

            Assert.True(sim.Overlaps.Count == 0, Failure(sim, $"both nodes ran the agent at {sim.Overlaps.FirstOrDefault().At:mm:ss.fff}"));
            Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning, Failure(sim, "after healing, the primary does not run the agent alone"));
        }
    }

    [Fact]
    public void Simple_behavior_splits_the_brain_only_as_documented_and_settles_on_the_primary()
    {
        var splits = 0;
        foreach (var seed in Seeds().Take(100))
        {
            var sim = new PairSimulation(seed, PairBehavior.Simple);
            sim.Run(s_faulty, s_calm);

            splits += sim.Overlaps.Count;
            Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning, Failure(sim, "after healing, the primary does not run the agent alone"));
        }

        Assert.True(splits > 0, "simple behavior never split the brain under partitions");
    }

    [Fact]
    public void Simple_behavior_runs_the_agent_on_both_nodes_while_they_are_partitioned()
    {
        // VOLTTRON's documented split brain: the secondary believes the primary inactive; the primary always runs.
        var sim = new PairSimulation(seed: 1, PairBehavior.Simple);
        sim.Primary.Boot();
        sim.Secondary.Boot();
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));
        Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning);

        PartitionFor(sim, TimeSpan.FromSeconds(15));
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));
        Assert.True(sim.Primary.AgentRunning && sim.Secondary.AgentRunning, Failure(sim, "no split brain"));

        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));
        Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning, Failure(sim, "the secondary kept its agent after the partition healed"));
    }

    [Fact]
    public void Standard_behavior_keeps_the_agent_on_the_primary_while_the_nodes_are_partitioned()
    {
        var sim = new PairSimulation(seed: 1, PairBehavior.Standard);
        sim.Primary.Boot();
        sim.Secondary.Boot();
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));
        Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning);

        PartitionFor(sim, TimeSpan.FromSeconds(15));
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));

        Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning, Failure(sim, "the agent moved during a partition"));
        Assert.Equal(PairDecision.VerifyWithCentral, sim.Secondary.Machine!.Decision);
    }

    [Fact]
    public void Standard_behavior_moves_the_agent_when_the_primary_is_killed_and_back_when_it_returns()
    {
        var sim = new PairSimulation(seed: 2, PairBehavior.Standard);
        sim.Primary.Boot();
        sim.Secondary.Boot();
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));

        sim.Primary.Kill();
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));
        Assert.True(sim.Secondary.AgentRunning, Failure(sim, "the secondary did not take over"));

        sim.Primary.Boot();
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));
        Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning, Failure(sim, "the agent did not move back"));
        Assert.Empty(sim.Overlaps);
    }

    private static void PartitionFor(PairSimulation sim, TimeSpan duration)
    {
        sim.Partitioned = true;
        sim.After(duration, () => sim.Partitioned = false);
    }

    private static IEnumerable<int> Seeds()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("FAILOVER_SIM_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var only))
        {
            return [only];
        }

        var count = int.TryParse(Environment.GetEnvironmentVariable("FAILOVER_SIM_SEEDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultSeeds;
        return Enumerable.Range(1, count);
    }

    private static string Failure(PairSimulation sim, string what) =>
        $"seed {sim.Seed}: {what} (replay with FAILOVER_SIM_SEED={sim.Seed})\n{Tail(sim.Trace, 80)}";

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
