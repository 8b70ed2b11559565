namespace Failover.Runtime.Persistence;

/// <summary>
/// A grain's durable state (Orleans' shape). Read on activation; every write is versioned and fenced by the
/// activation's directory epoch.
/// </summary>
public interface IPersistentState<TState>
    where TState : new()
{
    TState State { get; set; }

    /// <summary>The stored version as text; null when there is no record.</summary>
    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <exception cref="InconsistentStateException">Someone else wrote since this activation read.</exception>
    /// <exception cref="ActivationFencedException">This activation no longer owns the grain.</exception>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
