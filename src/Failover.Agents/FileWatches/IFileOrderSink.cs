namespace Failover.Agents.FileWatches;

/// <summary>Where a file watch's orders live: the dispatcher of the watch's agent.</summary>
public interface IFileOrderSink
{
    /// <summary>The durable orders of the watch (ids made by <see cref="FileOrderIds"/>), ended or not.</summary>
    Task<IReadOnlyList<FileOrderEntry>> ListAsync(string watchId, CancellationToken ct);

    /// <summary>Adds the order; the same id with the same job and arguments again is the existing order, not an error.</summary>
    Task SubmitAsync(string orderId, string job, IReadOnlyDictionary<string, string> arguments, CancellationToken ct);

    /// <summary>Deletes an ended order so its id may be used again; false when the order has not ended or is absent.</summary>
    Task<bool> ForgetAsync(string orderId, CancellationToken ct);
}
