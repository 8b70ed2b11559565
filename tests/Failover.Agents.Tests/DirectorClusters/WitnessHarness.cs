using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.DirectorClusters;

/// <summary>
/// Drives a <see cref="DirectorClusterMachine"/> the way the grain shell does: persists the record whenever a step says
/// Changed (and checks Changed is set exactly when the record changed), and re-activates from the persisted record.
/// While time passes (<see cref="Advance"/>) the witness's own timer ticks it every <see cref="Period"/>, as the grain's
/// does; <see cref="Deaf"/> lets time pass without any input, as when the witness's calls are held (its silo lost the
/// database) or its turn waits on a write.
/// </summary>
internal sealed class WitnessHarness
{
    public const string Agent = "agent-1";
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(1000);
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);
    private readonly List<DirectorClusterEvent> _events = [];
    private TimeSpan _nextTick;

    public WitnessHarness(DirectorClusterRecord? record = null, bool requireConfirmation = false)
    {
        Settings = new DirectorClusterSettings(Timeout, requireConfirmation, Period);
        Persisted = record ?? new DirectorClusterRecord();
        Machine = new DirectorClusterMachine(Agent, Persisted, Settings, Now);
        _nextTick = Now + Period;
    }

    public DirectorClusterSettings Settings { get; }

    public DirectorClusterMachine Machine { get; private set; }

    public DirectorClusterRecord Persisted { get; private set; }

    public DirectorClusterRecord Record => Machine.Record;

    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(100);

    /// <summary>Every event the witness emitted, including those of the timer's ticks while time passed.</summary>
    public IReadOnlyList<DirectorClusterEvent> Events => _events;

    /// <summary>A witness whose primary p1 is active with epoch 1 and whose secondary s1 is coupled.</summary>
    public static WitnessHarness Coupled(bool requireConfirmation = false)
    {
        var witness = new WitnessHarness(requireConfirmation: requireConfirmation);
        witness.Heartbeat(DirectorInstance.Primary, "p1");
        witness.Heartbeat(DirectorInstance.Secondary, "s1", 1);
        Assert.Equal(DirectorClusterState.Coupled, witness.Record.State);
        return witness;
    }

    /// <summary>Time passes while the witness listens: its timer ticks it every <see cref="Period"/> (strictly before the end).</summary>
    public void Advance(double milliseconds)
    {
        var until = Now + TimeSpan.FromMilliseconds(milliseconds);
        while (_nextTick < until)
        {
            Now = _nextTick;
            _nextTick += Period;
            Tick();
        }

        Now = until;
    }

    /// <summary>Just past the heartbeat timeout.</summary>
    public void AdvancePastTimeout() => Advance(Timeout.TotalMilliseconds + 1);

    /// <summary>Time passes and the witness takes no input at all: its calls and timer ticks wait (or are refused).</summary>
    public void Deaf(double milliseconds)
    {
        Now += TimeSpan.FromMilliseconds(milliseconds);
        _nextTick = Now + Period;
    }

    /// <summary>Crash and re-activation: a new machine from the last persisted record, with no observations.</summary>
    public void Reactivate(double afterMilliseconds = 10)
    {
        Now += TimeSpan.FromMilliseconds(afterMilliseconds);
        Machine = new DirectorClusterMachine(Agent, Persisted, Settings, Now);
        _nextTick = Now + Period;
    }

    public DirectorStep Heartbeat(DirectorInstance instance, string incarnation, long epoch = 0, DirectorRole acting = DirectorRole.Standby) =>
        Apply(m => m.Heartbeat(new DirectorHeartbeat(instance, incarnation, epoch, acting), Now));

    /// <summary>The heartbeat a director sends with what it learned from its last answer (epoch and acting role).</summary>
    public DirectorStep Beat(DirectorInstance instance, string incarnation, DirectorAssignment? last) =>
        Heartbeat(instance, incarnation, last?.Epoch ?? 0, last?.Role ?? DirectorRole.Standby);

    public DirectorStep Tick() => Apply(m => m.Tick(Now));

    public DirectorStep Stopping(DirectorInstance instance, string incarnation, bool failOver) =>
        Apply(m => m.InstanceStopping(instance, incarnation, failOver, Now));

    public DirectorStep SiloDead(string incarnation) => Apply(m => m.SiloDead(incarnation, Now));

    public DirectorStep SwitchOver(int jobsOnActiveNode = 0) => Apply(m => m.SwitchOver(jobsOnActiveNode, Now));

    public DirectorStep ConfirmLoss(DirectorInstance lost) => Apply(m => m.ConfirmLoss(lost, Now));

    private DirectorStep Apply(Func<DirectorClusterMachine, DirectorStep> input)
    {
        var before = Machine.Record;
        var step = input(Machine);
        Assert.Equal(step.Record != before, step.Changed);
        Assert.Equal(Machine.Record, step.Record);
        Assert.True(step.Record.Epoch >= before.Epoch, "the epoch never goes down");
        if (step.Events.Count > 0)
        {
            Assert.True(step.Changed, "an event comes with a change of the record");
        }

        if (step.Changed)
        {
            Persisted = step.Record;
        }

        _events.AddRange(step.Events);
        return step;
    }
}

internal static class StepAssertions
{
    public static string[] Kinds(this DirectorStep step) => [.. step.Events.Select(e => e.Kind)];

    public static void IsActive(this DirectorStep step, long epoch)
    {
        Assert.Equal(DirectorRole.Active, step.Assignment?.Role);
        Assert.Equal(epoch, step.Assignment!.Epoch);
    }

    public static void IsStandby(this DirectorStep step, long epoch)
    {
        Assert.Equal(DirectorRole.Standby, step.Assignment?.Role);
        Assert.Equal(epoch, step.Assignment!.Epoch);
    }

    public static void Unchanged(this DirectorStep step)
    {
        Assert.False(step.Changed);
        Assert.Empty(step.Events);
    }
}
