namespace Failover.Agents.Dispatching;

/// <summary>What a dispatcher knows of one subagent's connection: when it last polled, from which incarnation, and what it runs.</summary>
internal sealed class SubagentLink(string id, TimeSpan heardAt)
{
    public string Id { get; } = id;

    public TimeSpan LastHeard { get; set; } = heardAt;

    /// <summary>Null until the subagent polled this activation.</summary>
    public string? Incarnation { get; set; }

    /// <summary>The sequence number of the newest poll heard from <see cref="Incarnation"/>.</summary>
    public long LastPoll { get; set; }

    /// <summary>All processes it runs, for every dispatcher, as of its last poll.</summary>
    public int ReportedRunning { get; set; }

    /// <summary>Orders of this dispatcher in Processing on this subagent.</summary>
    public int Processing { get; set; }

    /// <summary>Commands whose orders are durable, waiting for the subagent's next poll.</summary>
    public List<Outgoing> Outbox { get; } = [];

    /// <summary>The poll parked now; an older parked poll that sees another number answers empty.</summary>
    public long ParkedPoll { get; set; }

    public TaskCompletionSource Signal { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Lost { get; set; }

    public void Wake()
    {
        Signal.TrySetResult();
        Signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A command for a subagent: start or kill one run.</summary>
internal sealed record Outgoing(RunRef Run, bool Kill);
