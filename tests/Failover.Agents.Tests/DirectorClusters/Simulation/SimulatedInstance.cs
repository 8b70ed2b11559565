using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.DirectorClusters.Simulation;

internal enum ProcessState
{
    Running,
    Paused,
    Dead,
}

/// <summary>One director instance's process: a restart is a new incarnation with a fresh lease.</summary>
internal sealed class SimulatedInstance(DirectorInstance instance)
{
    public DirectorInstance Instance { get; } = instance;

    public int Generation { get; private set; }

    public string Incarnation => $"{Instance.ToName()}#{Generation}";

    public ProcessState State { get; set; } = ProcessState.Running;

    public DirectorLease Lease { get; private set; } = new();

    /// <summary>Paused and never resumed; the membership declares it Dead some time later.</summary>
    public bool FrozenForever { get; set; }

    public bool RestartScheduled { get; set; }

    /// <summary>A heartbeat became due while paused: sent as soon as the process runs again.</summary>
    public bool HeartbeatDue { get; set; }

    /// <summary>Messages that arrived while paused, processed in order on resume.</summary>
    public List<Action> Inbox { get; } = [];

    public bool IsActing(TimeSpan now) => State != ProcessState.Dead && Lease.IsActing(now);

    public void Restart()
    {
        Generation++;
        Lease = new DirectorLease();
        State = ProcessState.Running;
        FrozenForever = false;
        RestartScheduled = false;
        HeartbeatDue = false;
        Inbox.Clear();
    }
}
