namespace Failover.Storage.Events;

/// <summary>
/// The durable event log of a service (FailoverEvents): what the agents decided and when, for operators. An event is
/// stamped with the database clock when it is written.
/// </summary>
public interface IClusterEventLog
{
    /// <summary>Longest detail kept; longer details are cut.</summary>
    public const int MaxDetailLength = 2000;

    Task AppendAsync(string source, string kind, string detail, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> events (of <paramref name="source"/>, or of all), oldest first.</summary>
    Task<IReadOnlyList<ClusterEvent>> ReadAsync(string? source, int limit, CancellationToken cancellationToken);
}
