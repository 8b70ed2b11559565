namespace Failover.Agents.DirectorClusters;

/// <summary>The last watch reminder tick a director cluster's witness handled, to count the ticks Orleans skipped.</summary>
public sealed class WatchTicks
{
    public DateTime? LastTick { get; set; }
}
