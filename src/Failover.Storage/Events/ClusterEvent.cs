namespace Failover.Storage.Events;

/// <summary>One entry of the cluster's event log. <see cref="Time"/> is the database clock, UTC.</summary>
public sealed record ClusterEvent(long Id, DateTime Time, string Source, string Kind, string Detail);
