using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Orleans;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.Subagents;

/// <summary>
/// One subagent on this silo, a thin shell around <see cref="SubagentMachine"/>: long-polls each of its dispatchers
/// for commands (the poll is its heartbeat), reports run ends until the dispatcher acknowledges them, checks
/// self-fencing after every poll, and carries out the machine's steps (launch and kill job runs, wake a report loop,
/// log). The machine is used under one lock; steps are carried out under it too, so a kill never overtakes its launch.
/// </summary>
internal sealed partial class SubagentRunner : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly IGrainFactory _grains;
    private readonly JobProcessRunner _jobs;
    private readonly string _incarnation;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SubagentMachine _machine;
    private readonly Dictionary<(string Dispatcher, RunRef Run), (CancellationTokenSource Cancel, Task Task)> _launched = [];
    private readonly Dictionary<string, WakeSignal> _reportSignals = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly HashSet<string> _unreachable = new(StringComparer.Ordinal);

    public SubagentRunner(
        SubagentSpec spec, AgentClusterSpec? agent, IGrainFactory grains, JobProcessRunner jobs, string incarnation, TimeSpan? selfFencing, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _grains = grains;
        _jobs = jobs;
        _incarnation = incarnation;
        _time = time;
        _logger = logger;
        _machine = new SubagentMachine(spec.Id, spec.ProcessLimit, selfFencing, Now);
        Spec = spec;
        Agent = agent;
    }

    /// <summary>The subagent's settings from the topology; a changed process limit applies at once.</summary>
    public SubagentSpec Spec
    {
        get;
        set
        {
            field = value;
            lock (_gate)
            {
                Execute(_machine.SetProcessLimit(value.ProcessLimit));
            }
        }
    }

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
        lock (_gate)
        {
            Execute(_machine.Stop());
        }

        await Task.WhenAll(_loops);
        List<Task> runs;
        lock (_gate)
        {
            // Again: an answer that arrived while the loops stopped may have launched runs.
            Execute(_machine.Stop());
            runs = [.. _launched.Values.Select(l => l.Task)];
        }

        await Task.WhenAll(runs);
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
                poll = _machine.Poll(key, _incarnation, wait: true);
            }

            try
            {
                var answer = await Dispatcher(key).Poll(poll).WaitAsync(HeartbeatTimeout + Heartbeat, _time, cancellationToken);
                Reachable(key);
                lock (_gate)
                {
                    Execute(_machine.Answered(key, answer, Now));
                }
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

            lock (_gate)
            {
                Execute(_machine.Check(Now));
            }
        }
    }

    private async Task ReportLoopAsync(string key, WakeSignal signal, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<RunReport> reports;
            lock (_gate)
            {
                reports = _machine.Reports(key);
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
                var acknowledged = await Dispatcher(key).Report(_machine.Id, reports).WaitAsync(HeartbeatTimeout * 2, _time, cancellationToken);
                lock (_gate)
                {
                    _machine.Acknowledged(key, acknowledged);
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

    /// <summary>Carries out the machine's steps; called under the gate.</summary>
    private void Execute(IReadOnlyList<SubagentStep> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case SubagentStep.Launch launch:
                    var cancel = new CancellationTokenSource();
                    _launched[(launch.Dispatcher, new RunRef(launch.Run.OrderId, launch.Run.Attempt))] = (cancel, RunAsync(launch.Dispatcher, launch.Run, cancel.Token));
                    break;
                case SubagentStep.Kill kill when _launched.TryGetValue((kill.Dispatcher, kill.Run), out var launched):
                    launched.Cancel.Cancel();
                    break;
                case SubagentStep.Report report when _reportSignals.TryGetValue(report.Dispatcher, out var signal):
                    signal.Wake();
                    break;
                case SubagentStep.RefusedStale refused:
                    LogStaleStart(_machine.Id, refused.Run.OrderId, refused.Epoch, refused.Seen);
                    break;
                case SubagentStep.SelfFenced fenced:
                    LogSelfFenced(_machine.Id, fenced.Runs, fenced.Limit);
                    break;
            }
        }
    }

    private async Task RunAsync(string dispatcher, JobRun run, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var outcome = await _jobs.RunAsync(run, cancellationToken);
        var key = (dispatcher, new RunRef(run.OrderId, run.Attempt));
        lock (_gate)
        {
            if (_launched.Remove(key, out var launched))
            {
                launched.Cancel.Dispose();
            }

            Execute(_machine.Ended(dispatcher, key.Item2, outcome));
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

        LogUnreachable(_machine.Id, key, reason);
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

        LogReachable(_machine.Id, key);
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
}
