namespace Failover.Agents.DirectorClusters;

/// <summary>
/// The per agent cluster settings the witness judges by; changes apply to the running grain. <see cref="CheckPeriod"/>
/// is how often the witness's own timer gives it an input (the agent cluster's heartbeat period): a longer pause between
/// its inputs means the witness itself could not hear (see <see cref="DeafAfter"/>).
/// </summary>
public sealed record DirectorClusterSettings(TimeSpan HeartbeatTimeout, bool RequireFailoverConfirmation, TimeSpan CheckPeriod)
{
    public static DirectorClusterSettings Default { get; } = new(TimeSpan.FromSeconds(1), false, TimeSpan.FromMilliseconds(250));

    /// <summary>
    /// A pause between two inputs of the witness longer than this was the witness's own (its calls and timer ticks were
    /// held, its turn waited on a write): twice its check period, and at least half the heartbeat timeout, so that the
    /// ordinary jitter of a loaded machine does not count.
    /// </summary>
    public TimeSpan DeafAfter => CheckPeriod * 2 > HeartbeatTimeout / 2 ? CheckPeriod * 2 : HeartbeatTimeout / 2;
}
