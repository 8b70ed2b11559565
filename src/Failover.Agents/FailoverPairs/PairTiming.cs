namespace Failover.Agents.FailoverPairs;

/// <summary>
/// The pair's periods. <see cref="Guard"/> is how much earlier than the other side the node that must stop first
/// (the primary; any node for its view of central) lets a view lapse, so that it has stopped its agent before the
/// other node may conclude that it is gone: min(1 s, (timeout − heartbeat_period) / 2).
/// </summary>
public sealed record PairTiming(TimeSpan HeartbeatPeriod, TimeSpan Timeout)
{
    /// <summary>Decisions are taken at least this often, besides on every event.</summary>
    public static readonly TimeSpan MaxDecisionInterval = TimeSpan.FromSeconds(1);

    /// <summary>A managed agent that died is started again no sooner than this after its last start.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);

    /// <summary>The shortest heartbeat_period a config may set: shorter ones only load the nodes and flap.</summary>
    public static readonly TimeSpan MinHeartbeatPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>The shortest timeout a config may set: a view must outlast a decision round, a grain call and a stop.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);

    /// <summary>timeout spans at least this many heartbeat periods, so one lost heartbeat never counts the peer down.</summary>
    public const int MinHeartbeatsPerTimeout = 2;

    public TimeSpan Guard => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, (Timeout - HeartbeatPeriod).Ticks / 2));
}
