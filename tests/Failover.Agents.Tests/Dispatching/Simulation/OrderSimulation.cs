using System.Runtime.CompilerServices;
using System.Text;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Subagents;
using Failover.Agents.Tests.DirectorClusters.Simulation;
using Failover.Agents.Topology;
using Failover.Storage.Records;

namespace Failover.Agents.Tests.Dispatching.Simulation;

/// <summary>
/// One seeded run of orders end to end: a <see cref="DispatcherCore"/> (group commit as its grain does it: one batch in
/// flight, answers that depend on a write wait for it) over an in-memory order store, 2–3 subagents each a
/// <see cref="SubagentMachine"/> with simulated job processes, and an active director handing leads (with epoch
/// changes). Every message between them travels a link that loses, delays and reorders; during the fault phase batch
/// writes fail, the dispatcher is re-activated from the store, subagents restart and the director pauses. Then the
/// faults stop. Checked: no order is launched twice unless its job is restartable; every acknowledged order is stored;
/// every stored order ends. Everything is drawn from <c>new Random(seed)</c>, so a seed replays exactly.
/// </summary>
internal sealed class OrderSimulation
{
    private const string Key = "workers";
    private const string Once = "once";
    private const string Again = "again";
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan Tail = TimeSpan.FromSeconds(20);
    private static readonly DateTime Utc0 = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly int _seed;
    private readonly Random _random;
    private readonly SimulationTrace? _trace;
    private readonly PriorityQueue<Action, (TimeSpan At, long Sequence)> _queue = new();
    private readonly TopologyDocument _topology;
    private readonly string[] _subagentIds;
    private readonly Dictionary<string, SimSubagent> _subagents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (OrderRecord Order, long Version)> _store = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _launches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _acknowledged = new(StringComparer.Ordinal);
    private readonly HashSet<string> _kinds = new(StringComparer.Ordinal);
    private readonly TimeSpan _faultPhase;
    private readonly double _loss;
    private readonly int _maxDelayMs;
    private readonly double _writeFailure;
    private readonly TimeSpan? _selfFencing;
    private DispatcherSettings _settings = new();
    private Dispatcher _dispatcher = null!;
    private long _sequence;
    private int _activations;
    private long _epoch = 1;
    private string _leadNode = "node-a";
    private LeadTicket? _ticket;
    private TimeSpan _directorPausedUntil;
    private int _orders;
    private bool _quiet;

    private OrderSimulation(int seed, bool trace)
    {
        _seed = seed;
        _random = new Random(seed);
        _trace = trace ? new SimulationTrace(400) : null;
        var count = _random.Next(2, 4);
        _subagentIds = [.. new[] { "sub-a", "sub-b", "sub-c" }.Take(count)];
        var distinct = _random.Next(2) == 0;
        var priorities = string.Join(", ", _subagentIds.Select((id, i) => $"\"{id}\": {(distinct ? count - i : 1)}"));
        var subagents = string.Join(", ", _subagentIds.Select((id, i) =>
            $$"""{ "id": "{{id}}", "agent": "agent-1", "node": "node-{{(char)('a' + i)}}", "processLimit": {{_random.Next(1, 4)}} }"""));
        _topology = TopologyParser.Parse($$"""
            {
              "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-b" }, "heartbeat": "200ms", "heartbeatTimeout": "1s" } ],
              "subagents": [ {{subagents}} ],
              "subagentClusters": [ { "id": "{{Key}}", "agent": "agent-1", "subagents": { {{priorities}} } } ],
              "jobs": [ { "id": "{{Once}}", "agent": "agent-1", "subagentCluster": "{{Key}}", "builtin": "noop", "restartable": false },
                        { "id": "{{Again}}", "agent": "agent-1", "subagentCluster": "{{Key}}", "builtin": "noop", "restartable": true } ]
            }
            """);
        _faultPhase = TimeSpan.FromMilliseconds(_random.Next(1_500, 4_000));
        _loss = _random.NextDouble() * 0.3;
        _maxDelayMs = _random.Next(2) == 0 ? _random.Next(5, 50) : _random.Next(50, 2_500);
        _writeFailure = _random.NextDouble() * 0.3;
        _selfFencing = _random.Next(3) == 0 ? TimeSpan.FromMilliseconds(_random.Next(1_000, 3_000)) : null;
    }

    private TimeSpan Now { get; set; }

    private DateTime Utc => Utc0 + Now;

    private bool Faulty => Now < _faultPhase;

    /// <summary>Runs one seed; throws <see cref="SimulationFailure"/> (with a trace of its last events) when a check fails. Returns the fault kinds seen.</summary>
    public static IReadOnlySet<string> Run(int seed)
    {
        try
        {
            return new OrderSimulation(seed, trace: false).Run();
        }
        catch (SimulationFailure)
        {
            // Again with a trace: a seed replays exactly.
            return new OrderSimulation(seed, trace: true).Run();
        }
    }

    private HashSet<string> Run()
    {
        Activate();
        foreach (var id in _subagentIds)
        {
            var subagent = new SimSubagent(id, _topology.FindSubagent(id)!.ProcessLimit);
            _subagents[id] = subagent;
            Restart(subagent);
        }

        At(TimeSpan.Zero, DirectorLeads);
        At(Tick, TimerTick);
        var orders = _random.Next(4, 13);
        for (var i = 0; i < orders; i++)
        {
            At(Ms(_random.Next(0, (int)_faultPhase.TotalMilliseconds)), Submit);
        }

        for (var at = Ms(_random.Next(300, 1_500)); at < _faultPhase; at += Ms(_random.Next(300, 1_500)))
        {
            var fault = _random.Next(3);
            At(at, fault switch
            {
                0 => Reactivate,
                1 => RestartSomeSubagent,
                _ => PauseDirector,
            });
        }

        var end = _faultPhase + Tail;
        while (_queue.TryDequeue(out var action, out var at) && at.At <= end)
        {
            Now = at.At;
            action();
            if (_quiet)
            {
                break;
            }
        }

        foreach (var id in _acknowledged.Where(id => !_store.ContainsKey(id)))
        {
            Fail($"acknowledged order {id} is not stored");
        }

        foreach (var (id, (order, _)) in _store.Where(s => !s.Value.Order.State.IsTerminal()))
        {
            Fail($"order {id} ({order.Job}) has not ended {Tail.TotalSeconds} s after the faults stopped: {order.State} on {order.Subagent}, attempt {order.Attempt}; {order.History[^1].Detail}");
        }

        return _kinds;
    }

    private bool Quiet() =>
        !_dispatcher.Core.HasBatch && !_dispatcher.Core.Open.Any() && _store.Values.All(s => s.Order.State.IsTerminal())
        && _subagents.Values.All(s => s.Machine.Reports(Key).Count == 0);

    // ---- the dispatcher: a core and its group commit, as JobDispatcherGrain runs them ----

    private sealed class Dispatcher(DispatcherCore core, int activation)
    {
        public DispatcherCore Core { get; } = core;

        public int Activation { get; } = activation;

        public bool Flushing { get; set; }

        public List<Action<bool>> NextFlush { get; set; } = [];
    }

    private void Activate()
    {
        var open = _store.Values.Where(s => !s.Order.State.IsTerminal()).Select(s => (s.Order, s.Version)).ToList();
        _dispatcher = new Dispatcher(new DispatcherCore(Key, _settings, open, Now), ++_activations);
        Trace($"dispatcher activation {_activations} loads {open.Count} open orders, epoch {_dispatcher.Core.Epoch}");
    }

    private void Reactivate()
    {
        _kinds.Add("reactivation");
        Trace($"dispatcher deactivates");
        Activate();
    }

    /// <summary>As the grain's PersistAsync: <paramref name="done"/> learns whether the batch holding what changed so far was written.</summary>
    private void Persist(Dispatcher dispatcher, Action<bool>? done)
    {
        if (!dispatcher.Core.HasBatch)
        {
            done?.Invoke(true);
            return;
        }

        if (done is not null)
        {
            dispatcher.NextFlush.Add(done);
        }

        if (!dispatcher.Flushing)
        {
            Flush(dispatcher);
        }
    }

    private void Flush(Dispatcher dispatcher)
    {
        dispatcher.Flushing = true;
        var waiters = dispatcher.NextFlush;
        dispatcher.NextFlush = [];
        var batch = dispatcher.Core.TakeBatch();
        var fails = Faulty && _random.NextDouble() < _writeFailure;
        After(_random.Next(1, 20), () =>
        {
            if (dispatcher != _dispatcher)
            {
                return; // the activation is gone: its write never happened
            }

            if (fails)
            {
                _kinds.Add("write-failure");
                Trace($"batch of {batch.Writes.Count} orders fails");
                dispatcher.Core.Failed(batch);
                dispatcher.Flushing = false;
                waiters.ForEach(w => w(false));
                return;
            }

            var results = batch.Writes.Select(w => Write(w.Entry.Version, w.Record)).ToList();
            try
            {
                // The subagents it names would have their parked polls woken; polls here are answered at once.
                _ = dispatcher.Core.Committed(batch, results);
            }
            catch (StaleDispatcherException exception)
            {
                Trace($"stale: {exception.Message}");
                Reactivate();
                return;
            }

            Trace($"batch of {batch.Writes.Count} orders written: {string.Join(", ", batch.Writes.Select(w => $"{w.Record.Id} {w.Record.State} {w.Record.Subagent}#{w.Record.Attempt}"))}");
            dispatcher.Flushing = false;
            waiters.ForEach(w => w(true));
            if (dispatcher == _dispatcher && dispatcher.Core.HasBatch && !dispatcher.Flushing)
            {
                Flush(dispatcher);
            }
        });
    }

    private RecordWriteResult Write(long expected, OrderRecord order)
    {
        var stored = _store.TryGetValue(order.Id, out var current) ? current : ((OrderRecord Order, long Version)?)null;
        if ((stored?.Version ?? 0) != expected)
        {
            return new RecordWriteResult(false, stored?.Version ?? 0, stored is { } s ? Stored(s.Order, s.Version) : null);
        }

        _store[order.Id] = (order, expected + 1);
        return new RecordWriteResult(true, expected + 1, Stored(order, expected + 1));
    }

    private StoredRecord Stored(OrderRecord order, long version) => new(order.Id, Key, order.State.ToString(), "", version, Utc);

    private void TimerTick()
    {
        var dispatcher = _dispatcher;
        dispatcher.Core.Check(Now, Utc, _topology, HeartbeatTimeout, _ => false);
        dispatcher.Core.Dispatch(Now, Utc, _topology, HeartbeatTimeout, full: true);
        Persist(dispatcher, null);
        _quiet = !Faulty && Quiet();
        At(Now + Tick, TimerTick);
    }

    private void Submit()
    {
        var id = $"o{++_orders}";
        var job = _random.Next(2) == 0 ? Once : Again;
        var dispatcher = _dispatcher;
        var decision = OrderSubmissions.Decide(null, new OrderRequest { Id = id, Job = job }, _topology.FindJob(job), Utc);
        var entry = dispatcher.Core.Add(decision.Order!, Now);
        dispatcher.Core.Dispatch(Now, Utc, _topology, HeartbeatTimeout, full: false);
        Trace($"submit {id} ({job})");
        Persist(dispatcher, written =>
        {
            if (written && entry.Stored.Task.IsCompletedSuccessfully && entry.Stored.Task.Result)
            {
                _acknowledged.Add(id);
                Trace($"{id} acknowledged");
            }
        });
    }

    private void OnPoll(SubagentPoll poll, Action<PollAnswer> answer)
    {
        var dispatcher = _dispatcher;
        var changes = dispatcher.Core.Changes;
        dispatcher.Core.Heard(poll, Now, Utc, _topology);
        Trace($"dispatcher hears {poll.Incarnation}: knows {string.Join(" ", poll.Known.Select(r => $"{r.OrderId}#{r.Attempt}"))}");
        if (dispatcher.Core.Changes == changes)
        {
            AnswerPoll(dispatcher, poll, answer);
            return;
        }

        Persist(dispatcher, written =>
        {
            if (written && dispatcher == _dispatcher)
            {
                AnswerPoll(dispatcher, poll, answer);
            }
        });
    }

    private void AnswerPoll(Dispatcher dispatcher, SubagentPoll poll, Action<PollAnswer> answer)
    {
        dispatcher.Core.Dispatch(Now, Utc, _topology, HeartbeatTimeout, full: false);
        Persist(dispatcher, null);
        var (start, kill) = dispatcher.Core.TakeCommands(poll, _topology);
        if (start.Count + kill.Count > 0)
        {
            Trace($"dispatcher answers {poll.Incarnation}: start {string.Join(" ", start.Select(r => $"{r.OrderId}#{r.Attempt}"))} kill {string.Join(" ", kill.Select(r => $"{r.OrderId}#{r.Attempt}"))}");
        }

        answer(new PollAnswer(dispatcher.Core.Epoch, dispatcher.Core.IsLeading(Now), start, kill));
    }

    private void OnReport(string subagent, IReadOnlyList<RunReport> reports, Action<IReadOnlyList<RunRef>> acknowledge)
    {
        var dispatcher = _dispatcher;
        foreach (var report in reports)
        {
            Trace($"dispatcher gets {subagent}'s report {report.OrderId}#{report.Attempt} {report.End}");
            dispatcher.Core.Reported(subagent, report, Now, Utc, _topology);
        }

        dispatcher.Core.Dispatch(Now, Utc, _topology, HeartbeatTimeout, full: false);
        Persist(dispatcher, written =>
        {
            if (written && dispatcher == _dispatcher)
            {
                acknowledge([.. reports.Select(r => r.Run)]);
            }
        });
    }

    // ---- the director ----

    private void DirectorLeads()
    {
        At(Now + Ms(_random.Next(150, 250)), DirectorLeads);
        if (Now < _directorPausedUntil)
        {
            return;
        }

        if (Faulty && _random.Next(20) == 0)
        {
            _kinds.Add("epoch-change");
            _epoch++;
            _leadNode = _leadNode == "node-a" ? "node-b" : "node-a";
            _ticket = null;
            Trace($"director switches over to {_leadNode}, epoch {_epoch}");
        }

        var lead = new DirectorLead("agent-1", _epoch, _leadNode, DirectorClusterState.SwitchedOver, Lease, _ticket);
        Send(() =>
        {
            var dispatcher = _dispatcher;
            var epoch = dispatcher.Core.Epoch;
            if (!dispatcher.Core.Lead(lead, Now, Utc, _topology))
            {
                Send(() => _ticket = dispatcher.Core.Ticket(Now));
                return;
            }

            if (dispatcher.Core.Epoch != epoch || dispatcher.Core.SettingsDirty)
            {
                _settings = dispatcher.Core.Settings;
                dispatcher.Core.SettingsWritten();
            }

            dispatcher.Core.Dispatch(Now, Utc, _topology, HeartbeatTimeout, full: false);
            Persist(dispatcher, null);
            var ticket = dispatcher.Core.Ticket(Now);
            Send(() =>
            {
                if (lead.Epoch == _epoch)
                {
                    _ticket = ticket;
                }
            });
        });
    }

    private void PauseDirector()
    {
        _kinds.Add("director-pause");
        _directorPausedUntil = Now + Ms(_random.Next(500, 4_000));
        Trace($"director pauses until {_directorPausedUntil.TotalMilliseconds} ms");
    }

    // ---- subagents ----

    private sealed class SimSubagent(string id, int processLimit)
    {
        public string Id { get; } = id;

        public int ProcessLimit { get; } = processLimit;

        public int Generation { get; set; }

        public string Incarnation => $"{Id}@{Generation}";

        public SubagentMachine Machine { get; set; } = null!;

        public long OutstandingPoll { get; set; }

        public long OutstandingReport { get; set; }

        public long Calls { get; set; }

        public HashSet<RunRef> Processes { get; } = [];
    }

    private void RestartSomeSubagent()
    {
        _kinds.Add("subagent-restart");
        Restart(_subagents[_subagentIds[_random.Next(_subagentIds.Length)]]);
    }

    private void Restart(SimSubagent subagent)
    {
        subagent.Generation++;
        subagent.Processes.Clear(); // its processes die with it
        subagent.Machine = new SubagentMachine(subagent.Id, subagent.ProcessLimit, _selfFencing, Now);
        subagent.OutstandingPoll = 0;
        subagent.OutstandingReport = 0;
        Trace($"subagent {subagent.Incarnation} starts");
        var generation = subagent.Generation;
        After(_random.Next(0, 100), () => PollOnce(subagent, generation));
    }

    /// <summary>As SubagentRunner's poll loop: one poll at a time, a late answer is thrown away.</summary>
    private void PollOnce(SimSubagent subagent, int generation)
    {
        if (subagent.Generation != generation)
        {
            return;
        }

        var call = ++subagent.Calls;
        subagent.OutstandingPoll = call;
        var poll = subagent.Machine.Poll(Key, subagent.Incarnation, wait: true);
        Send(() => OnPoll(poll, answer => Send(() =>
        {
            if (subagent.Generation != generation || subagent.OutstandingPoll != call)
            {
                return;
            }

            subagent.OutstandingPoll = 0;
            Execute(subagent, subagent.Machine.Answered(Key, answer, Now));
            Execute(subagent, subagent.Machine.Check(Now));
            After((int)Heartbeat.TotalMilliseconds, () => PollOnce(subagent, generation));
        })));
        At(Now + HeartbeatTimeout + Heartbeat, () =>
        {
            if (subagent.Generation == generation && subagent.OutstandingPoll == call)
            {
                subagent.OutstandingPoll = 0;
                Execute(subagent, subagent.Machine.Check(Now));
                After((int)Heartbeat.TotalMilliseconds, () => PollOnce(subagent, generation));
            }
        });
    }

    /// <summary>As SubagentRunner's report loop: one report call at a time, until nothing is left to report.</summary>
    private void ReportOnce(SimSubagent subagent, int generation)
    {
        if (subagent.Generation != generation || subagent.OutstandingReport != 0)
        {
            return;
        }

        var reports = subagent.Machine.Reports(Key);
        if (reports.Count == 0)
        {
            return;
        }

        var call = ++subagent.Calls;
        subagent.OutstandingReport = call;
        Send(() => OnReport(subagent.Id, reports, acknowledged => Send(() =>
        {
            if (subagent.Generation != generation || subagent.OutstandingReport != call)
            {
                return;
            }

            subagent.OutstandingReport = 0;
            subagent.Machine.Acknowledged(Key, acknowledged);
            ReportOnce(subagent, generation);
        })));
        At(Now + (HeartbeatTimeout * 2), () =>
        {
            if (subagent.Generation == generation && subagent.OutstandingReport == call)
            {
                subagent.OutstandingReport = 0;
                After(100, () => ReportOnce(subagent, generation));
            }
        });
    }

    private void Execute(SimSubagent subagent, IReadOnlyList<SubagentStep> steps)
    {
        var generation = subagent.Generation;
        foreach (var step in steps)
        {
            switch (step)
            {
                case SubagentStep.Launch launch:
                    Launched(subagent, launch.Run);
                    var run = new RunRef(launch.Run.OrderId, launch.Run.Attempt);
                    subagent.Processes.Add(run);
                    var code = _random.Next(10) == 0 ? 1 : 0;
                    After(_random.Next(20, 600), () => ProcessEnds(subagent, generation, run, new JobEnd.Exited(code)));
                    break;
                case SubagentStep.Kill kill:
                    Trace($"{subagent.Incarnation} kills {kill.Run.OrderId}#{kill.Run.Attempt}: {kill.Reason}");
                    After(_random.Next(1, 20), () => ProcessEnds(subagent, generation, kill.Run, new JobEnd.Cancelled()));
                    break;
                case SubagentStep.Report:
                    ReportOnce(subagent, generation);
                    break;
                case SubagentStep.RefusedStale:
                    _kinds.Add("stale-start-refused");
                    break;
                case SubagentStep.SelfFenced:
                    _kinds.Add("self-fenced");
                    break;
            }
        }
    }

    private void ProcessEnds(SimSubagent subagent, int generation, RunRef run, JobEnd end)
    {
        if (subagent.Generation != generation || !subagent.Processes.Remove(run))
        {
            return;
        }

        Trace($"{subagent.Incarnation}: {run.OrderId}#{run.Attempt} ends {end}");
        Execute(subagent, subagent.Machine.Ended(Key, run, new JobOutcome(end, TimeSpan.FromMilliseconds(1), "")));
    }

    private void Launched(SimSubagent subagent, JobRun run)
    {
        var times = _launches[run.OrderId] = _launches.GetValueOrDefault(run.OrderId) + 1;
        var job = _store.TryGetValue(run.OrderId, out var stored) ? stored.Order.Job : "?";
        Trace($"{subagent.Incarnation} launches {run.OrderId}#{run.Attempt} ({job}), launch {times}");
        if (times > 1 && job != Again)
        {
            Fail($"order {run.OrderId} of job {job} (not restartable) is launched a second time, attempt {run.Attempt} on {subagent.Incarnation}");
        }

        if (times > 1)
        {
            _kinds.Add("restartable-relaunched");
        }
    }

    // ---- time, links, checks ----

    /// <summary>A message: lost, or delivered after a delay (so messages overtake each other).</summary>
    private void Send(Action deliver)
    {
        if (Faulty && _random.NextDouble() < _loss)
        {
            return;
        }

        After(Faulty ? _random.Next(1, _maxDelayMs) : _random.Next(1, 10), deliver);
    }

    private void After(int ms, Action action) => At(Now + Ms(ms), action);

    private void At(TimeSpan at, Action action) => _queue.Enqueue(action, (at, _sequence++));

    private static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);

    private void Trace([InterpolatedStringHandlerArgument("")] TraceText what)
    {
        if (_trace is not null)
        {
            _trace.Add(Now, what.ToString());
        }
    }

    /// <summary>Builds a trace line only when the run is traced: untraced seeds format nothing.</summary>
    [InterpolatedStringHandler]
    private readonly ref struct TraceText
    {
        private readonly StringBuilder? _text;

        public TraceText(int literalLength, int formattedCount, OrderSimulation simulation, out bool enabled)
        {
            _ = formattedCount;
            enabled = simulation._trace is not null;
            _text = enabled ? new StringBuilder(literalLength) : null;
        }

        public void AppendLiteral(string value) => _text!.Append(value);

        public void AppendFormatted<T>(T value) => _text!.Append(value);

        public override string ToString() => _text?.ToString() ?? "";
    }

    private void Fail(string message)
    {
        var trace = _trace is null ? "" : string.Join(Environment.NewLine, _trace.Last());
        throw new SimulationFailure(_seed, $"seed {_seed} at {Now.TotalMilliseconds} ms: {message}{Environment.NewLine}{trace}");
    }
}
