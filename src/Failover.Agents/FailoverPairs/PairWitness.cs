namespace Failover.Agents.FailoverPairs;

/// <summary>
/// The witness ("central") of one pair, pure. It confirms the primary down to the secondary only from its own view —
/// it has not heard the primary for <c>timeout</c> — and only once it has been active for <c>timeout</c>, so a fresh
/// witness never confirms a loss it cannot know. To the primary it says whether the secondary may run the agent: it
/// reports running, it was just allowed to start, or the witness cannot know (fresh, and the secondary not heard).
/// <para>
/// Times are this activation's own monotonic clock (<see cref="PairClock"/>): it compares only the ages of reports it
/// received itself, never a time another process measured. A new activation (after a move to another silo) starts
/// fresh, its clock with it.
/// </para>
/// </summary>
public sealed class PairWitness(TimeSpan activatedAt)
{
    private readonly Side _primary = new();
    private readonly Side _secondary = new();
    private TimeSpan _timeout = TimeSpan.Zero;

    public TimeSpan ActivatedAt { get; } = activatedAt;

    public WitnessVerdict Heartbeat(WitnessReport report, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Timeout > _timeout)
        {
            _timeout = report.Timeout;
        }

        var side = report.AgentId == PairRole.Primary ? _primary : _secondary;
        side.LastHeardAt = now;
        side.Report = report;
        if (report.AgentId == PairRole.Primary)
        {
            return new WitnessVerdict(PrimaryConfirmedDown: false, SecondaryMayRun(now));
        }

        var primaryDown = PrimaryConfirmedDown(now);
        if (primaryDown)
        {
            side.GrantBootId = report.BootId;
            side.GrantSequence = report.Sequence;
        }

        return new WitnessVerdict(primaryDown, SecondaryMayRun: true);
    }

    /// <summary>Active for <c>timeout</c> and has not heard the primary for as long.</summary>
    public bool PrimaryConfirmedDown(TimeSpan now) =>
        now - ActivatedAt >= _timeout && (_primary.LastHeardAt is not { } heard || now - heard >= _timeout);

    public bool SecondaryMayRun(TimeSpan now)
    {
        if (_secondary is { LastHeardAt: { } heard, Report: { } report } && now - heard < _timeout)
        {
            var granted = _secondary.GrantBootId == report.BootId && _secondary.GrantSequence >= report.Sequence;
            return report.Running || granted;
        }

        // Silent for timeout: its view of central has lapsed, so it has stopped — unless this witness is too fresh to know.
        return now - ActivatedAt < _timeout;
    }

    /// <summary>The last report of each side, and how long ago it came.</summary>
    public IReadOnlyList<(WitnessReport Report, TimeSpan Age)> Reports(TimeSpan now) =>
        [.. new[] { _primary, _secondary }.Where(s => s.Report is not null).Select(s => (s.Report!, now - s.LastHeardAt!.Value))];

    /// <summary>The longest timeout either side reported.</summary>
    public TimeSpan Timeout => _timeout;

    private sealed class Side
    {
        public TimeSpan? LastHeardAt { get; set; }

        public WitnessReport? Report { get; set; }

        public string? GrantBootId { get; set; }

        public long GrantSequence { get; set; } = -1;
    }
}
