using System.Globalization;
using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

/// <summary>
/// Seeded simulation of a pair under kills, restarts, partitions, central outages and witness moves, and (in shorter
/// runs, many more seeds) wall-clock steps and failing witness calls. Runs <see cref="DefaultSeeds"/> and
/// <see cref="ClockFaultSeeds"/> seeds (FAILOVER_SIM_SEEDS = another count; FAILOVER_SIM_SEED = replay that one seed).
/// </summary>
public sealed class PairSimulationTests
{
    private const int DefaultSeeds = 300;
    private const int ClockFaultSeeds = 10_000;
    private static readonly TimeSpan s_faulty = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_calm = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_shortFaulty = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_shortCalm = TimeSpan.FromSeconds(15);

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

    /// <summary>
    /// Invariant: a standard-behavior pair never runs its agent on both nodes, also when the wall clocks of the nodes and
    /// of the witness's silo step forward and back (NTP) and heartbeats to the witness fail, lose their answer or reach
    /// it late — on top of kills, partitions, central outages and witness moves.
    /// </summary>
    [Fact]
    public void Standard_behavior_never_runs_the_agent_on_both_nodes_under_wall_clock_steps_and_failing_witness_calls()
    {
        foreach (var seed in Seeds(ClockFaultSeeds))
        {
            var sim = new PairSimulation(seed, PairBehavior.Standard, PairFaults.ClockSteps | PairFaults.WitnessCalls);
            sim.Run(s_shortFaulty, s_shortCalm);

            Assert.True(sim.Overlaps.Count == 0, Failure(sim, $"both nodes ran the agent at {sim.Overlaps.FirstOrDefault().At:mm:ss.fff}"));
            Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning, Failure(sim, "after healing, the primary does not run the agent alone"));
        }
    }

    [Fact]
    public void A_forward_step_of_the_witness_silos_wall_clock_does_not_confirm_a_live_primary_down()
    {
        var sim = new PairSimulation(seed: 1, PairBehavior.Standard);
        sim.Primary.Boot();
        sim.Secondary.Boot();
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));
        Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning);

        // The secondary no longer hears the primary and asks the witness, which the primary keeps heartbeating. The
        // clock steps just after a heartbeat of the primary reached the witness (they do at about .05 s of each second).
        PartitionFor(sim, TimeSpan.FromSeconds(20));
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(5.1));
        sim.WitnessClock.Step(TimeSpan.FromMinutes(1));
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(5));

        Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning, Failure(sim, "the witness confirmed a live primary down"));
        Assert.Empty(sim.Overlaps);
    }

    [Fact]
    public void A_backward_step_of_the_primarys_wall_clock_does_not_keep_its_lapsed_views_up()
    {
        var sim = new PairSimulation(seed: 1, PairBehavior.Standard);
        sim.Primary.Boot();
        sim.Secondary.Boot();
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(10));
        Assert.True(sim.Primary.AgentRunning && !sim.Secondary.AgentRunning);

        // The primary is cut off from the secondary and from central: it must stop before the secondary takes over.
        sim.Primary.SetCentral(reachable: false, leaseValid: true);
        sim.Primary.Clock.Step(-TimeSpan.FromSeconds(30));
        PartitionFor(sim, TimeSpan.FromSeconds(60));
        sim.RunUntil(sim.Now + TimeSpan.FromSeconds(15));

        Assert.True(sim.Secondary.AgentRunning, Failure(sim, "the secondary did not take over"));
        Assert.True(sim.Overlaps.Count == 0, Failure(sim, "the primary kept its agent after its views lapsed"));
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

    private static IEnumerable<int> Seeds(int defaultCount = DefaultSeeds)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("FAILOVER_SIM_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var only))
        {
            return [only];
        }

        var count = int.TryParse(Environment.GetEnvironmentVariable("FAILOVER_SIM_SEEDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : defaultCount;
        return Enumerable.Range(1, count);
    }

    private static string Failure(PairSimulation sim, string what) =>
        $"seed {sim.Seed}: {what} (replay with FAILOVER_SIM_SEED={sim.Seed})\n{Tail(sim.Trace, 80)}";

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
