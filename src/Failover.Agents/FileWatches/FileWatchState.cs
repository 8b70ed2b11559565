namespace Failover.Agents.FileWatches;

/// <summary>A matching file without an order, and since when (monotonic time) it has looked as it does now.</summary>
internal readonly record struct SettlingFile(FileStamp Stamp, TimeSpan Since);

/// <summary>
/// What a watch remembers between passes. Lost on fail-over, which only costs time: files settle again, and orders
/// whose file has gone are noticed again.
/// </summary>
/// <param name="Settling">Matching files without a durable order, by name.</param>
/// <param name="Gone">
/// Names whose durable order was seen without its file. Remembered so that a new file of the same name arriving before
/// the order ends still gets its own order once the old one is forgotten.
/// </param>
internal sealed record FileWatchState(IReadOnlyDictionary<string, SettlingFile> Settling, IReadOnlySet<string> Gone)
{
    public static readonly FileWatchState Empty = new(new Dictionary<string, SettlingFile>(), new HashSet<string>());
}
