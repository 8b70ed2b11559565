using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Topology;

namespace Failover.Agents.Subagents;

/// <summary>
/// The decisions of one subagent, without I/O: which starts it refuses (an older fencing token than it has seen),
/// which wait for a free process slot, which runs it kills, what it reports to each dispatcher (every end, until that
/// dispatcher acknowledges it) and when it fences itself (no dispatcher has had an active director for the
/// configured time). Its host carries out the <see cref="SubagentStep"/>s; time is given (monotonic).
/// </summary>
internal sealed class SubagentMachine
{
    private readonly Dictionary<(string Dispatcher, RunRef Run), SubagentRun> _runs = [];
    private readonly Queue<SubagentRun> _waiting = new();
    private readonly Dictionary<string, long> _polls = new(StringComparer.Ordinal);
    private TimeSpan _lastLed;

    public SubagentMachine(string id, int processLimit, TimeSpan? selfFencing, TimeSpan now)
    {
        Id = id;
        ProcessLimit = processLimit;
        SelfFencing = selfFencing;
        _lastLed = now;
    }

    public string Id { get; }

    public int ProcessLimit { get; private set; }

    public TimeSpan? SelfFencing { get; }

    /// <summary>The highest fencing token seen in any dispatcher's answer.</summary>
    public long Epoch { get; private set; }

    /// <summary>Launched runs whose end has not come back yet.</summary>
    public int Running { get; private set; }

    /// <summary>
    /// The next poll for <paramref name="dispatcher"/>: every run of it this subagent holds, numbered after the one
    /// before (whose answer its host has received or given up on).
    /// </summary>
    public SubagentPoll Poll(string dispatcher, string incarnation, bool wait)
    {
        var sequence = _polls[dispatcher] = _polls.GetValueOrDefault(dispatcher) + 1;
        return new(Id, incarnation, Epoch, [.. _runs.Keys.Where(k => k.Dispatcher == dispatcher).Select(k => k.Run)], Running, wait, sequence);
    }

    /// <summary>
    /// A dispatcher's answer: kills first, then starts. A start under an older epoch than seen is refused (reported,
    /// never launched); one beyond the process limit waits for a free slot.
    /// </summary>
    public IReadOnlyList<SubagentStep> Answered(string dispatcher, PollAnswer answer, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var steps = new List<SubagentStep>();
        if (answer.Leading)
        {
            _lastLed = now;
        }

        foreach (var kill in answer.Kill)
        {
            if (_runs.TryGetValue((dispatcher, kill), out var run))
            {
                KillRun(run, "the dispatcher asked for it", steps);
            }
        }

        var stale = answer.Epoch < Epoch;
        Epoch = Math.Max(Epoch, answer.Epoch);
        foreach (var start in answer.Start)
        {
            var key = (dispatcher, new RunRef(start.OrderId, start.Attempt));
            if (_runs.ContainsKey(key))
            {
                continue;
            }

            var run = new SubagentRun(dispatcher, start, answer.Epoch);
            _runs[key] = run;
            if (stale)
            {
                steps.Add(new SubagentStep.RefusedStale(dispatcher, run.Ref, answer.Epoch, Epoch));
                End(run, new RunReport(start.OrderId, start.Attempt, answer.Epoch, RunEnd.Refused, null, $"fencing token {answer.Epoch} is older than {Epoch}", 0, ""), steps);
            }
            else if (Running < ProcessLimit)
            {
                Launch(run, steps);
            }
            else
            {
                _waiting.Enqueue(run);
            }
        }

        return steps;
    }

    /// <summary>A launched run ended: its report waits for the dispatcher, and a waiting run takes the free slot.</summary>
    public IReadOnlyList<SubagentStep> Ended(string dispatcher, RunRef run, JobOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outcome);
        var steps = new List<SubagentStep>();
        if (!_runs.TryGetValue((dispatcher, run), out var held) || held.Phase != RunPhase.Launched)
        {
            return steps;
        }

        Running--;
        End(held, outcome.End switch
        {
            JobEnd.Exited exited => Report(held, RunEnd.Exited, exited.Code, null, outcome),
            JobEnd.TimedOut => Report(held, RunEnd.TimedOut, null, "timed out", outcome),
            JobEnd.StartFailed failed => Report(held, RunEnd.StartFailed, null, failed.Reason, outcome),
            _ => Report(held, RunEnd.Killed, null, $"killed on {Id}: {held.KillReason ?? "cancelled"}", outcome),
        }, steps);
        LaunchWaiting(steps);
        return steps;
    }

    /// <summary>The ends not yet acknowledged by <paramref name="dispatcher"/>: sent again until they are.</summary>
    public IReadOnlyList<RunReport> Reports(string dispatcher) =>
        [.. _runs.Where(r => r.Key.Dispatcher == dispatcher && r.Value.Report is not null).Select(r => r.Value.Report!)];

    /// <summary>The dispatcher has these ends: the runs are forgotten (its polls no longer list them).</summary>
    public void Acknowledged(string dispatcher, IEnumerable<RunRef> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        foreach (var run in runs)
        {
            if (_runs.TryGetValue((dispatcher, run), out var held) && held.Phase == RunPhase.Ended)
            {
                _runs.Remove((dispatcher, run));
            }
        }
    }

    /// <summary>
    /// Self-fencing: once no dispatcher's answer has said an active director leads it for longer than the limit, every
    /// run is killed (a waiting one ends at once, never started).
    /// </summary>
    public IReadOnlyList<SubagentStep> Check(TimeSpan now)
    {
        var steps = new List<SubagentStep>();
        if (SelfFencing is not { } limit || now - _lastLed <= limit)
        {
            return steps;
        }

        var victims = _runs.Values.Where(r => r.Phase == RunPhase.Waiting || (r.Phase == RunPhase.Launched && r.KillReason is null)).ToList();
        if (victims.Count == 0)
        {
            return steps;
        }

        steps.Add(new SubagentStep.SelfFenced(victims.Count, limit));
        foreach (var run in victims)
        {
            KillRun(run, $"self-fencing: no active director for {DurationText.Format(limit)}", steps);
        }

        return steps;
    }

    /// <summary>The topology changed the limit: waiting runs take the slots a higher one frees.</summary>
    public IReadOnlyList<SubagentStep> SetProcessLimit(int limit)
    {
        ProcessLimit = limit;
        var steps = new List<SubagentStep>();
        LaunchWaiting(steps);
        return steps;
    }

    /// <summary>The subagent stops: every launched run is killed, waiting ones are dropped.</summary>
    public IReadOnlyList<SubagentStep> Stop()
    {
        _waiting.Clear();
        var steps = new List<SubagentStep>();
        foreach (var run in _runs.Values.Where(r => r.Phase == RunPhase.Launched && r.KillReason is null))
        {
            run.KillReason = "the silo stops";
            steps.Add(new SubagentStep.Kill(run.Dispatcher, run.Ref, run.KillReason));
        }

        return steps;
    }

    private void KillRun(SubagentRun run, string reason, List<SubagentStep> steps)
    {
        if (run.Phase == RunPhase.Waiting)
        {
            End(run, Report(run, RunEnd.Killed, null, $"killed on {Id} before it started: {reason}", null), steps);
        }
        else if (run.Phase == RunPhase.Launched && run.KillReason is null)
        {
            run.KillReason = reason;
            steps.Add(new SubagentStep.Kill(run.Dispatcher, run.Ref, reason));
        }
    }

    private void Launch(SubagentRun run, List<SubagentStep> steps)
    {
        Running++;
        run.Phase = RunPhase.Launched;
        steps.Add(new SubagentStep.Launch(run.Dispatcher, run.Run));
    }

    private void LaunchWaiting(List<SubagentStep> steps)
    {
        while (Running < ProcessLimit && _waiting.TryDequeue(out var next))
        {
            if (next.Phase == RunPhase.Waiting)
            {
                Launch(next, steps);
            }
        }
    }

    private static void End(SubagentRun run, RunReport report, List<SubagentStep> steps)
    {
        run.Phase = RunPhase.Ended;
        run.Report = report;
        steps.Add(new SubagentStep.Report(run.Dispatcher));
    }

    private static RunReport Report(SubagentRun run, RunEnd end, int? code, string? detail, JobOutcome? outcome) =>
        new(run.Run.OrderId, run.Run.Attempt, run.Epoch, end, code, detail, (long)(outcome?.Duration.TotalMilliseconds ?? 0), outcome?.OutputTail ?? "");

    private enum RunPhase
    {
        Waiting,
        Launched,
        Ended,
    }

    /// <summary>One run on this subagent, from its start command until the dispatcher acknowledged its end.</summary>
    private sealed class SubagentRun(string dispatcher, JobRun run, long epoch)
    {
        public string Dispatcher { get; } = dispatcher;

        public JobRun Run { get; } = run;

        public RunRef Ref { get; } = new(run.OrderId, run.Attempt);

        public long Epoch { get; } = epoch;

        public RunPhase Phase { get; set; }

        public string? KillReason { get; set; }

        public RunReport? Report { get; set; }
    }
}
