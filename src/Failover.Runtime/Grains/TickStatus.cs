namespace Failover.Runtime.Grains;

/// <summary>
/// What a reminder tick knows about its schedule. Unlike Orleans, missed ticks are reported, not dropped
/// silently: <see cref="MissedTicks"/> counts scheduled ticks that were skipped since the previous delivered one.
/// </summary>
public readonly record struct TickStatus(DateTime FirstTickTime, TimeSpan Period, DateTime CurrentTickTime, int MissedTicks);
