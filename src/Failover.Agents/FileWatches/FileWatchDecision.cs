namespace Failover.Agents.FileWatches;

internal sealed record FileOrderSubmission(string OrderId, string Job, IReadOnlyDictionary<string, string> Arguments);

/// <summary>A matching file that cannot get an order (its name makes an invalid order id or argument).</summary>
internal sealed record UnusableFile(string Name, string Reason);

/// <summary>
/// One pass's outcome. Forget before submitting: an id in both is a replaced file whose old order must go first, so
/// skip its submission when the forget fails.
/// </summary>
/// <param name="NextCheck">When a settling file will have been unchanged for the delay; null when none settles.</param>
internal sealed record FileWatchDecision(
    IReadOnlyList<FileOrderSubmission> Submit,
    IReadOnlyList<string> Forget,
    FileWatchState Next,
    TimeSpan? NextCheck,
    IReadOnlyList<UnusableFile> Unusable);
