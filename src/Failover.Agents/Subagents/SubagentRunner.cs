using Failover.Agents.Dispatching;
using Failover.Agents.FailoverPairs;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.Subagents;

/// <summary>
/// One subagent on this silo: long-polls each of its dispatchers for commands (the poll is its heartbeat), runs the
/// jobs within its process limit (starts beyond it wait here), and reports each run's end until the dispatcher
/// acknowledges it. It refuses starts under an older fencing token than it has seen. With self-fencing on, it kills
/// its runs once no dispatcher has had an active director for that long (JS7's self-fencing).
/// </summary>
internal sealed partial class SubagentRunner : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly IGrainFactory _grains;
    private readonly JobProcessRunner _jobs;
    private readonly string _incarnation;
    private readonly TimeSpan? _selfFencing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Dispatcher, RunRef Run), RunSlot> _runs = [];
    private readonly Queue<RunSlot> _waiting = new();
    private readonly Dictionary<string, WakeSignal> _reportSignals = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly HashSet<string> _unreachable = new(StringComparer.Ordinal);
    private long _epoch;
    private int _running;
    private TimeSpan _lastLed;

    public SubagentRunner(
        SubagentSpec spec, AgentClusterSpec? agent, IGrainFactory grains, JobProcessRunner jobs, string incarnation, TimeSpan? selfFencing, TimeProvider time, ILogger logger)
    {
        Spec = spec;
        Agent = agent;
        _grains = grains;
        _jobs = jobs;
        _incarnation = incarnation;
        _selfFencing = selfFencing;
        _time = time;
        _logger = logger;
        _lastLed = Now;
    }

    public SubagentSpec Spec { get; set; }

    public AgentClusterSpec? Agent { get; set; }

    private TimeSpan Heartbeat => Agent?.Heartbeat ?? TimeSpan.FromMilliseconds(250);

    private TimeSpan HeartbeatTimeout => Agent?.HeartbeatTimeout ?? TimeSpan.FromSeconds(1);

    private TimeSpan Now => _time.GetElapsedTime(0, _time.GetTimestamp());

    /// <summary>Starts polling the dispatchers not yet polled; dispatchers that left keep their loop until disposal (harmless: it polls nothing new).</summary>
    public void Follow(IReadOnlyList<string> dispatchers)
    {
        lock (_gate)
        {
            foreach (var key in dispatchers.Where(k => !_reportSignals.ContainsKey(k)))
            {
                var signal = new WakeSignal();
                _reportSignals[key] = signal;
                _loops.Add(PollLoopAsync(key, _stop.Token));
                _loops.Add(ReportLoopAsync(key, signal, _stop.Token));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        List<RunSlot> slots;
        lock (_gate)
        {
            slots = [.. _runs.Values];
            _waiting.Clear();
        }

        foreach (var slot in slots)
        {
            slot.Kill("the silo stops");
        }

        await Task.WhenAll(_loops);
        await Task.WhenAll(slots.Select(s => s.Ended));
        _stop.Dispose();
    }

    private IJobDispatcherGrain Dispatcher(string key) => _grains.GetGrain<IJobDispatcherGrain>(key);

    private async Task PollLoopAsync(string key, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            SubagentPoll poll;
            lock (_gate)
            {
                poll = new SubagentPoll(Spec.Id, _incarnation, _epoch, [.. _runs.Keys.Where(k => k.Dispatcher == key).Select(k => k.Run)], _running, Wait: true);
            }

            try
            {
                var answer = await Dispatcher(key).Poll(poll).WaitAsync(HeartbeatTimeout + Heartbeat, _time, cancellationToken);
                Reachable(key);
                Apply(key, answer);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Unreachable(key, exception.Message);
                await DelayAsync(Heartbeat, cancellationToken);
            }

            SelfFenceIfLeaderless();
        }
    }

    private void Apply(string key, PollAnswer answer)
    {
        lock (_gate)
        {
            if (answer.Leading)
            {
                _lastLed = Now;
            }

            foreach (var kill in answer.Kill)
            {
                if (!_runs.TryGetValue((key, kill), out var slot))
                {
                    continue;
                }

                if (slot.Started is null && slot.Report is null)
                {
                    slot.End(Report(slot, RunEnd.Killed, null, $"killed on {Spec.Id} before it started", null));
                    _reportSignals[key].Wake();
                }
                else
                {
                    slot.Kill("the dispatcher asked for it");
                }
            }

            var stale = answer.Epoch < _epoch;
            _epoch = Math.Max(_epoch, answer.Epoch);
            foreach (var run in answer.Start)
            {
                var id = (key, new RunRef(run.OrderId, run.Attempt));
                if (_runs.ContainsKey(id))
                {
                    continue;
                }

                var slot = new RunSlot(key, run, answer.Epoch);
                _runs[id] = slot;
                if (stale)
                {
                    LogStaleStart(Spec.Id, run.OrderId, answer.Epoch, _epoch);
                    slot.End(new RunReport(run.OrderId, run.Attempt, answer.Epoch, RunEnd.Refused, null, $"fencing token {answer.Epoch} is older than {_epoch}", 0, ""));
                    _reportSignals[key].Wake();
                }
                else if (_running < Spec.ProcessLimit)
                {
                    Launch(slot);
                }
                else
                {
                    _waiting.Enqueue(slot);
                }
            }
        }
    }

    /// <summary>Called under the gate.</summary>
    private void Launch(RunSlot slot)
    {
        _running++;
        slot.Started = RunAsync(slot);
    }

    private async Task RunAsync(RunSlot slot)
    {
        await Task.Yield();
        var outcome = await _jobs.RunAsync(slot.Run, slot.Cancel.Token);
        var report = outcome.End switch
        {
            JobEnd.Exited exited => Report(slot, RunEnd.Exited, exited.Code, null, outcome),
            JobEnd.TimedOut => Report(slot, RunEnd.TimedOut, null, "timed out", outcome),
            JobEnd.StartFailed failed => Report(slot, RunEnd.StartFailed, null, failed.Reason, outcome),
            _ => Report(slot, RunEnd.Killed, null, $"killed on {Spec.Id}: {slot.KillReason ?? "cancelled"}", outcome),
        };
        lock (_gate)
        {
            _running--;
            slot.End(report);
            _reportSignals[slot.Dispatcher].Wake();
            while (_running < Spec.ProcessLimit && _waiting.TryDequeue(out var next))
            {
                if (next.Report is null)
                {
                    Launch(next);
                }
            }
        }
    }

    private static RunReport Report(RunSlot slot, RunEnd end, int? code, string? detail, JobOutcome? outcome) =>
        new(slot.Run.OrderId, slot.Run.Attempt, slot.Epoch, end, code, detail, (long)(outcome?.Duration.TotalMilliseconds ?? 0), outcome?.OutputTail ?? "");

    private async Task ReportLoopAsync(string key, WakeSignal signal, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            List<RunReport> reports;
            lock (_gate)
            {
                reports = [.. _runs.Where(r => r.Key.Dispatcher == key && r.Value.Report is not null).Select(r => r.Value.Report!)];
            }

            if (reports.Count == 0)
            {
                try
                {
                    await signal.WaitAsync(Heartbeat, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                var acknowledged = await Dispatcher(key).Report(Spec.Id, reports).WaitAsync(HeartbeatTimeout * 2, _time, cancellationToken);
                lock (_gate)
                {
                    foreach (var run in acknowledged)
                    {
                        // Its token source is not disposed: a plain one holds nothing to free, and self-fencing,
                        // which picks its victims outside the gate, may still cancel it.
                        _runs.Remove((key, run));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Unreachable(key, exception.Message);
                await DelayAsync(RetryDelay, cancellationToken);
            }
        }
    }

    private void SelfFenceIfLeaderless()
    {
        if (_selfFencing is not { } limit)
        {
            return;
        }

        List<RunSlot> victims;
        lock (_gate)
        {
            if (Now - _lastLed <= limit)
            {
                return;
            }

            victims = [.. _runs.Values.Where(s => s.Report is null && !s.Cancel.IsCancellationRequested)];
        }

        if (victims.Count > 0)
        {
            LogSelfFenced(Spec.Id, victims.Count, limit);
            foreach (var slot in victims)
            {
                slot.Kill($"self-fencing: no active director for {DurationText.Format(limit)}");
            }
        }
    }

    private void Unreachable(string key, string reason)
    {
        lock (_gate)
        {
            if (!_unreachable.Add(key))
            {
                return;
            }
        }

        LogUnreachable(Spec.Id, key, reason);
    }

    private void Reachable(string key)
    {
        lock (_gate)
        {
            if (!_unreachable.Remove(key))
            {
                return;
            }
        }

        LogReachable(Spec.Id, key);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subagent {Subagent} cannot reach dispatcher {Dispatcher}: {Reason}")]
    private partial void LogUnreachable(string subagent, string dispatcher, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subagent {Subagent} reaches dispatcher {Dispatcher} again")]
    private partial void LogReachable(string subagent, string dispatcher);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subagent {Subagent} refused to start order {Order}: fencing token {Epoch} is older than {Seen}")]
    private partial void LogStaleStart(string subagent, string order, long epoch, long seen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subagent {Subagent} kills its {Count} runs: no active director for {Limit} (self-fencing)")]
    private partial void LogSelfFenced(string subagent, int count, TimeSpan limit);

    /// <summary>One run on this subagent, from its start command until the dispatcher acknowledged its end.</summary>
    private sealed class RunSlot(string dispatcher, JobRun run, long epoch)
    {
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Dispatcher { get; } = dispatcher;

        public JobRun Run { get; } = run;

        public long Epoch { get; } = epoch;

        public CancellationTokenSource Cancel { get; } = new();

        public string? KillReason { get; private set; }

        public Task? Started { get; set; }

        public RunReport? Report { get; private set; }

        public Task Ended => _ended.Task;

        public void Kill(string reason)
        {
            KillReason ??= reason;
            if (Report is null && Started is null)
            {
                // Not launched (waiting for a slot, or refused): nothing runs, so nothing to wait for.
                _ended.TrySetResult();
            }

            Cancel.Cancel();
        }

        public void End(RunReport report)
        {
            Report = report;
            _ended.TrySetResult();
        }
    }
}
