using Failover.Agents.Orders;
using Failover.Agents.Topology;

namespace Failover.Agents.FileWatches;

/// <summary>
/// The decisions of a file watch, pure: which files get an order, which orders go, given a listing of the directory,
/// the durable orders of the watch and what the previous pass remembered.
/// </summary>
internal sealed class FileWatchReconciler
{
    public const string FileArgument = "file";

    private readonly FileWatchSpec _spec;
    private readonly FilePattern _pattern;

    public FileWatchReconciler(FileWatchSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _pattern = new FilePattern(spec.Pattern);
    }

    /// <param name="listing">Every regular file of the directory (matching or not) by name.</param>
    /// <param name="durable">The watch's durable orders; ids of other watches are ignored.</param>
    /// <param name="now">Monotonic time (<c>MonotonicClock</c>): a wall clock set back must not hold files back.</param>
    public FileWatchDecision Reconcile(
        IReadOnlyDictionary<string, FileStamp> listing, FileWatchState state, IReadOnlyList<FileOrderEntry> durable, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(durable);

        var ordered = new Dictionary<string, FileOrderEntry>(StringComparer.Ordinal);
        foreach (var entry in durable)
        {
            if (FileOrderIds.TryParse(entry.OrderId, out var watch, out var name) && watch == _spec.Id)
            {
                ordered[name] = entry;
            }
        }

        // Presence is by name, matching or not: after a pattern change an existing file keeps its order, so it does
        // not get a second one if the pattern changes back.
        var forget = new List<string>();
        var gone = new HashSet<string>(StringComparer.Ordinal);
        var forgetting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, entry) in ordered.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (listing.ContainsKey(name) && !state.Gone.Contains(name))
            {
                continue;
            }

            gone.Add(name);
            if (entry.Ended)
            {
                forget.Add(entry.OrderId);
                forgetting.Add(name);
            }
        }

        var submit = new List<FileOrderSubmission>();
        var unusable = new List<UnusableFile>();
        var settling = new Dictionary<string, SettlingFile>(StringComparer.Ordinal);
        TimeSpan? nextCheck = null;
        foreach (var (name, stamp) in listing.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!_pattern.Matches(name) || (ordered.ContainsKey(name) && !forgetting.Contains(name)))
            {
                continue;
            }

            var id = FileOrderIds.Make(_spec.Id, name);
            var arguments = Arguments(name);
            if ((OrderSubmissions.InvalidId(id) ?? OrderArguments.Validate(arguments)) is { } reason)
            {
                unusable.Add(new UnusableFile(name, reason));
                continue;
            }

            var since = state.Settling.TryGetValue(name, out var seen) && seen.Stamp == stamp ? seen.Since : now;
            settling[name] = new SettlingFile(stamp, since);
            var settledAt = since + _spec.Delay;
            if (now >= settledAt)
            {
                // Stays in Settling until the order is listed: a failed submission is retried at the next pass.
                submit.Add(new FileOrderSubmission(id, _spec.Job, arguments));
            }
            else if (nextCheck is null || settledAt < nextCheck)
            {
                nextCheck = settledAt;
            }
        }

        return new FileWatchDecision(submit, forget, new FileWatchState(settling, gone), nextCheck, unusable);
    }

    private Dictionary<string, string> Arguments(string name) =>
        new(StringComparer.Ordinal) { [FileArgument] = Path.GetFullPath(Path.Join(_spec.Directory, name)) };
}
