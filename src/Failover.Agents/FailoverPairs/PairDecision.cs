namespace Failover.Agents.FailoverPairs;

/// <summary>What a failover agent has decided about its managed agent.</summary>
public enum PairDecision
{
    /// <summary>The managed agent must not run here.</summary>
    Stop,

    /// <summary>The managed agent runs here.</summary>
    Start,

    /// <summary>
    /// Primary, standard behavior: the table says start, but the secondary may still run the agent; it starts as soon as
    /// the secondary (or central, on its behalf) reports that it does not.
    /// </summary>
    AwaitPeerRelease,

    /// <summary>Secondary, standard behavior: the primary is down and central is up; it starts once central confirms the loss.</summary>
    VerifyWithCentral,
}

/// <summary>What the shell around the state machine must do.</summary>
public enum PairCommand
{
    StartAgent,
    StopAgent,

    /// <summary>Heartbeat the witness now rather than at the next period (the secondary starts verifying a loss).</summary>
    AskWitness,
}

public static class PairDecisionNames
{
    public static string Of(PairDecision decision) => decision switch
    {
        PairDecision.Stop => "stop",
        PairDecision.Start => "start",
        PairDecision.AwaitPeerRelease => "await-peer-release",
        PairDecision.VerifyWithCentral => "verify-with-central",
        _ => decision.ToString(),
    };
}
