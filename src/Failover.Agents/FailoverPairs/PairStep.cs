namespace Failover.Agents.FailoverPairs;

/// <summary>
/// The state machine's answer to one input: the decision, what to do now, and when to decide again at the latest (on the
/// shell's monotonic clock, <see cref="PairClock"/>).
/// </summary>
/// <param name="DecisionChanged">The decision differs from the one before this input (log it, keep it as an event).</param>
/// <param name="Reason">Why, in the words of the behavior tables, e.g. "secondary down, central down → stop".</param>
public sealed record PairStep(
    PairDecision Decision,
    IReadOnlyList<PairCommand> Commands,
    bool DecisionChanged,
    string Reason,
    bool PeerUp,
    bool CentralUp,
    TimeSpan NextDecisionAt);

/// <summary>The verdict of the witness ("central") on one heartbeat.</summary>
/// <param name="PrimaryConfirmedDown">To the secondary: the witness itself has not heard the primary for <c>timeout</c>,
/// and has been active that long.</param>
/// <param name="SecondaryMayRun">To the primary: the secondary runs the agent, may have been allowed to start it, or the
/// witness cannot know (it is fresh).</param>
[GenerateSerializer]
[Alias("Failover.WitnessVerdict")]
public sealed record WitnessVerdict(bool PrimaryConfirmedDown, bool SecondaryMayRun);
