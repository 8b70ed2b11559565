using Failover.Agents.DirectorClusters;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Failover.Storage.Records;

namespace Failover.Agents.Dispatching;

/// <summary>
/// The decisions of one job dispatcher, without I/O: its open orders, the subagents it hears, the director lead it
/// follows. Every change goes through <see cref="OrderMachine"/>; changed orders are written in batches
/// (<see cref="TakeBatch"/>) and the commands they asked for reach the subagents only once that batch is durable
/// (<see cref="Committed"/>). Time comes from the caller: <c>now</c> is monotonic, <c>utc</c> is for the history.
/// </summary>
internal sealed class DispatcherCore
{
    private readonly Dictionary<string, OpenOrder> _orders = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _pending = new();
    private readonly Dictionary<string, LinkedListNode<string>> _pendingNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubagentLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _runningByJob = new(StringComparer.Ordinal);

    // Processing orders by subagent: polls, losses and checks look at these, not at every open order (a long
    // Pending queue would make each poll cost as much as the queue).
    private readonly Dictionary<string, HashSet<string>> _processing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly List<(string Subagent, Outgoing Command)> _afterCommit = [];
    private readonly HashSet<string> _disabled;
    private readonly Guid _incarnation = Guid.NewGuid();
    private TimeSpan _leadUntil = TimeSpan.MinValue;
    private TopologyDocument? _setTopology;
    private (string? Agent, CandidateSet Set) _set;

    public DispatcherCore(string key, DispatcherSettings settings, IEnumerable<(OrderRecord Order, long Version)> open, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(open);
        Key = key;
        Epoch = settings.Epoch;
        LeadNode = settings.LeadNode;
        Cursors = settings.Cursors;
        _disabled = new HashSet<string>(settings.Disabled, StringComparer.Ordinal);
        foreach (var (order, version) in open.OrderBy(o => o.Order.Created).ThenBy(o => o.Order.Id, StringComparer.Ordinal))
        {
            var entry = new OpenOrder(order, version) { ProcessingSince = now, PendingSince = now };
            entry.Stored.TrySetResult(true);
            if (order.State == OrderState.Processing)
            {
                // Whether the start reached the subagent is unknown: its polls tell.
                entry.DeliveredTo = OpenOrder.UnknownDelivery;
                Link(order.Subagent!, now);
            }

            Epoch = Math.Max(Epoch, order.Epoch);
            Track(entry, null);
            _orders[order.Id] = entry;
        }
    }

    public string Key { get; }

    public long Epoch { get; private set; }

    public string? LeadNode { get; private set; }

    public RoundRobinCursors Cursors { get; private set; }

    /// <summary>The settings changed since <see cref="SettingsWritten"/> (epoch, lead node, disabled set, cursors).</summary>
    public bool SettingsDirty { get; private set; }

    /// <summary>Whether there are changed orders to write, or commands waiting for a write.</summary>
    public bool HasBatch => _dirty.Count > 0 || _afterCommit.Count > 0;

    public int PendingCount => _pending.Count;

    public int ProcessingCount => _processing.Values.Sum(p => p.Count);

    public DispatcherSettings Settings => new() { Epoch = Epoch, LeadNode = LeadNode, Disabled = [.. _disabled], Cursors = Cursors };

    public void SettingsWritten() => SettingsDirty = false;

    public bool IsLeading(TimeSpan now) => now < _leadUntil;

    /// <summary>Counts applied steps that changed an order or asked for a command: whether an input left anything to write.</summary>
    public long Changes { get; private set; }

    public OpenOrder? Find(string orderId) => _orders.GetValueOrDefault(orderId);

    /// <summary>A new order (Pending, from <see cref="OrderSubmissions"/>): held and written with the next batch.</summary>
    public OpenOrder Add(OrderRecord order, TimeSpan now)
    {
        var entry = new OpenOrder(order, 0) { ProcessingSince = now, PendingSince = now };
        Track(entry, null);
        _orders[order.Id] = entry;
        _dirty.Add(order.Id);
        return entry;
    }

    /// <summary>The first write of <paramref name="entry"/> was refused (the id exists): forget it.</summary>
    public void Withdraw(OpenOrder entry)
    {
        Untrack(entry.Record);
        _orders.Remove(entry.Record.Id);
        _dirty.Remove(entry.Record.Id);
        _afterCommit.RemoveAll(c => c.Command.Run.OrderId == entry.Record.Id);
    }

    /// <summary>Applies a step of <see cref="OrderMachine"/> to a held order.</summary>
    public OrderStep Apply(OpenOrder entry, OrderStep step, TimeSpan now)
    {
        if (step.Changed || step.Commands.Count > 0)
        {
            Changes++;
        }

        if (step.Changed)
        {
            var before = entry.Record;
            var moved = before.State != step.Order.State || before.Subagent != step.Order.Subagent;
            if (moved)
            {
                Untrack(before);
            }

            entry.Record = step.Order;
            if (step.Order.State == OrderState.Processing && (before.State != OrderState.Processing || before.Attempt != step.Order.Attempt))
            {
                entry.ProcessingSince = now;
                entry.DeliveredTo = null;
            }

            if (step.Order.State == OrderState.Pending && before.State != OrderState.Pending)
            {
                entry.PendingSince = now;
            }

            if (step.Order.State != OrderState.Pending)
            {
                entry.WaitingNow = null;
            }

            if (moved)
            {
                Track(entry, before);
            }

            _dirty.Add(step.Order.Id);
        }

        foreach (var command in step.Commands)
        {
            _afterCommit.Add((command.Subagent, new Outgoing(new RunRef(command.OrderId, command.Attempt), command is KillProcess)));
        }

        return step;
    }

    // ---- the director's lead ----

    /// <summary>
    /// A mark on this activation's clock for the director to send back: a lead is counted from the ticket it carries
    /// (see <see cref="DirectorLead"/>). Issue it as late as possible before it leaves, to lose the least time.
    /// </summary>
    public LeadTicket Ticket(TimeSpan now) => new(_incarnation, now);

    /// <summary>
    /// Follows the active director. A lead with an older epoch is ignored. A newer epoch after a fail-over (the lead
    /// moved to another node) ends the runs on the lost director node's subagents, as JS7 does. The lead lasts the
    /// director's remaining lease counted from this activation's ticket it carries, never from its arrival: the time
    /// the messages spent travelling is the director's, not the dispatcher's. A newer epoch without such a ticket ends
    /// the lead held under the older one.
    /// </summary>
    public bool Lead(DirectorLead lead, TimeSpan now, DateTime utc, TopologyDocument topology)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (lead.Epoch < Epoch)
        {
            return false;
        }

        var until = lead.Ticket is { } ticket && ticket.Dispatcher == _incarnation && ticket.IssuedAt <= now
            ? ticket.IssuedAt + lead.Lease
            : TimeSpan.MinValue;
        if (lead.Epoch > Epoch)
        {
            _leadUntil = TimeSpan.MinValue;
            var lostNode = lead.State == DirectorClusterState.FailedOver && LeadNode is not null && LeadNode != lead.Node ? LeadNode : null;
            Epoch = lead.Epoch;
            LeadNode = lead.Node;
            SettingsDirty = true;
            if (lostNode is not null)
            {
                foreach (var subagent in topology.SubagentsOn(lostNode))
                {
                    LoseRunsOn(subagent.Id, $"director node {lostNode} was lost (fail-over to {lead.Node}, epoch {lead.Epoch})", utc, now, topology);
                }
            }
        }
        else if (LeadNode != lead.Node)
        {
            LeadNode = lead.Node;
            SettingsDirty = true;
        }

        _leadUntil = until > _leadUntil ? until : _leadUntil;
        return true;
    }

    // ---- subagents ----

    /// <summary>
    /// A subagent's poll: it is heard, the runs it knows are compared with the orders that run there (re-attached
    /// under a newer epoch, or killed when unexpected), and runs it should know but does not are ended.
    /// </summary>
    public void Heard(SubagentPoll poll, TimeSpan now, DateTime utc, TopologyDocument topology)
    {
        var link = Link(poll.Subagent, now);
        if (link.Incarnation == poll.Incarnation && poll.Sequence <= link.LastPoll)
        {
            // An older poll than one already heard: it was held up, and its sender gave up on it and polled again.
            // What it knows is old news: a start delivered since would look as if it never ran.
            return;
        }

        var restarted = link.Incarnation is not null && link.Incarnation != poll.Incarnation;
        link.LastPoll = poll.Sequence;
        link.LastHeard = now;
        link.ReportedRunning = poll.Running;
        link.Incarnation = poll.Incarnation;
        link.Lost = false;

        var known = new HashSet<RunRef>(poll.Known);
        foreach (var run in poll.Known)
        {
            var entry = Find(run.OrderId);
            if (entry is null || entry.Record.State != OrderState.Processing
                || entry.Record.Subagent != poll.Subagent || entry.Record.Attempt != run.Attempt)
            {
                if (entry is null || !entry.Record.State.IsTerminal())
                {
                    // Not a run this dispatcher expects: it must not go on (it may be an ended run whose report is on its way: a kill is harmless).
                    link.Outbox.Add(new Outgoing(run, Kill: true));
                }

                continue;
            }

            entry.DeliveredTo = poll.Incarnation;
            if (entry.Record.Epoch < Epoch)
            {
                Apply(entry, OrderMachine.Reattach(entry.Record, poll.Subagent, run.Attempt, Epoch, utc), now);
            }
        }

        foreach (var entry in ProcessingOn(poll.Subagent))
        {
            var run = new RunRef(entry.Record.Id, entry.Record.Attempt);
            if (known.Contains(run) || entry.DeliveredTo is null)
            {
                continue;
            }

            if (entry.DeliveredTo == poll.Incarnation)
            {
                // Delivered to this very incarnation, which answered since and does not have it: it never ran.
                Apply(entry, OrderMachine.StartRefused(entry.Record, poll.Subagent, run.Attempt, "the subagent does not have it", utc), now);
            }
            else
            {
                Lose(entry, poll.Subagent, restarted ? $"subagent {poll.Subagent} restarted" : $"subagent {poll.Subagent} does not know the run", utc, now, topology);
            }
        }
    }

    /// <summary>
    /// The commands for the answer to <paramref name="poll"/>, now; none when a newer poll of the subagent was heard
    /// (its sender no longer waits for this answer). Starts whose order has moved on are dropped.
    /// </summary>
    public (IReadOnlyList<JobRun> Start, IReadOnlyList<RunRef> Kill) TakeCommands(SubagentPoll poll, TopologyDocument topology)
    {
        ArgumentNullException.ThrowIfNull(poll);
        var subagent = poll.Subagent;
        var incarnation = poll.Incarnation;
        if (!_links.TryGetValue(subagent, out var link) || link.Outbox.Count == 0
            || link.Incarnation != incarnation || link.LastPoll != poll.Sequence)
        {
            return ([], []);
        }

        var starts = new List<JobRun>();
        var kills = new List<RunRef>();
        foreach (var command in link.Outbox)
        {
            if (command.Kill)
            {
                kills.Add(command.Run);
                continue;
            }

            if (Find(command.Run.OrderId) is { } entry && entry.Record.State == OrderState.Processing && entry.Record.Subagent == subagent
                && entry.Record.Attempt == command.Run.Attempt && topology.FindJob(entry.Record.Job) is { } job)
            {
                entry.DeliveredTo = incarnation;
                starts.Add(JobRun.For(job, entry.Record));
            }
        }

        link.Outbox.Clear();
        return (starts, kills);
    }

    public bool HasCommands(string subagent) => _links.TryGetValue(subagent, out var link) && link.Outbox.Count > 0;

    internal SubagentLink? LinkOf(string subagent) => _links.GetValueOrDefault(subagent);

    /// <summary>A run's end, as its subagent reports it.</summary>
    public void Reported(string subagent, RunReport report, TimeSpan now, DateTime utc, TopologyDocument topology)
    {
        if (Find(report.OrderId) is not { } entry || entry.Record.State.IsTerminal())
        {
            return;
        }

        var order = entry.Record;
        // A run re-attached under a newer epoch still reports the epoch it was started under: from the subagent the
        // order runs on, with its attempt, it is that very run (an earlier start of the attempt there never ran).
        var epoch = order.State == OrderState.Processing && order.Subagent == subagent && order.Attempt == report.Attempt
            ? Math.Max(report.Epoch, order.Epoch)
            : report.Epoch;
        var step = report.End switch
        {
            RunEnd.Exited => OrderMachine.Exited(order, report.Attempt, epoch, report.ExitCode ?? -1, utc),
            RunEnd.TimedOut => OrderMachine.TimedOut(order, report.Attempt, topology.FindJob(order.Job)?.Timeout ?? TimeSpan.Zero, utc),
            RunEnd.StartFailed => OrderMachine.Failed(order, report.Attempt, epoch, OrderReason.StartFailed, report.Detail ?? "did not start", utc),
            RunEnd.Refused => OrderMachine.StartRefused(order, subagent, report.Attempt, report.Detail ?? "refused", utc),
            _ => OrderMachine.Failed(order, report.Attempt, epoch, OrderReason.ProcessLost, report.Detail ?? $"killed on {subagent}", utc),
        };
        if (step.Changed && step.Order.State.IsTerminal())
        {
            step = step with { Order = step.Order with { DurationMs = report.DurationMs, OutputTail = report.OutputTail } };
        }

        Apply(entry, step, now);
    }

    /// <summary>
    /// Periodic checks: subagents not heard within the heartbeat timeout (or whose silo is Dead) are lost with their
    /// runs; runs far past their job's timeout (the subagent should have killed them) are timed out here.
    /// </summary>
    public void Check(TimeSpan now, DateTime utc, TopologyDocument topology, TimeSpan heartbeatTimeout, Func<string, bool> isDead)
    {
        foreach (var link in _links.Values)
        {
            if (link.Lost || link.LastHeard == TimeSpan.MinValue)
            {
                // Lost already, or never heard and nothing of this activation runs there.
                continue;
            }

            var dead = link.Incarnation is { } incarnation && isDead(incarnation);
            if (dead || now - link.LastHeard > heartbeatTimeout)
            {
                link.Lost = true;
                link.Outbox.Clear();
                // A subagent removed from the topology (say with its agent cluster, by 'apply --force') stops and kills
                // its runs: its orders fail saying so.
                var why = dead ? $"the silo of subagent {link.Id} is Dead"
                    : $"subagent {link.Id} not heard for {DurationText.Format(heartbeatTimeout)}"
                        + (topology.FindSubagent(link.Id) is null ? "; it was removed from the topology" : "");
                LoseRunsOn(link.Id, why, utc, now, topology);
            }
        }

        foreach (var entry in _processing.Keys.SelectMany(ProcessingOn).ToList())
        {
            if (topology.FindJob(entry.Record.Job)?.Timeout is { } timeout && now - entry.ProcessingSince > timeout + heartbeatTimeout)
            {
                Apply(entry, OrderMachine.TimedOut(entry.Record, entry.Record.Attempt, timeout, utc), now);
            }
        }
    }

    public bool SetEnabled(string subagent, bool enabled)
    {
        var changed = enabled ? _disabled.Remove(subagent) : _disabled.Add(subagent);
        SettingsDirty |= changed;
        return changed;
    }

    // ---- dispatching ----

    /// <summary>
    /// Starts what can start: Pending orders in arrival order, each on the subagent JS7's selection picks. Once nothing
    /// can start, a quick pass stops; a <paramref name="full"/> pass (the periodic one) also shows every waiting order why.
    /// </summary>
    public void Dispatch(TimeSpan now, DateTime utc, TopologyDocument topology, TimeSpan heartbeatTimeout, bool full)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var (agent, set) = SetOf(topology);
        var leading = IsLeading(now);
        Dictionary<string, SubagentAvailability>? availability = null;
        string? exhausted = null;
        var node = _pending.First;
        while (node is not null)
        {
            var next = node.Next;
            var entry = _orders[node.Value];
            if (topology.FindJob(entry.Record.Job) is not { } job)
            {
                Apply(entry, OrderMachine.JobMissing(entry.Record, utc), now);
            }
            else if (!leading || exhausted is not null)
            {
                if (!full)
                {
                    break;
                }

                ShowWait(entry, exhausted ?? $"no active director leads agent {agent ?? "?"}", now, utc, full);
            }
            else
            {
                availability ??= Availability(set, topology, now, heartbeatTimeout);
                var load = JobLoad.For(job, _runningByJob.GetValueOrDefault(job.Id));
                var selection = SubagentSelector.Select(set, availability, load, Cursors);
                Cursors = selection.Cursors;
                if (selection.Found)
                {
                    SettingsDirty = true;
                    Apply(entry, OrderMachine.Start(entry.Record, selection.Subagent!, entry.Record.Attempt, Epoch, utc), now);
                    var chosen = availability[selection.Subagent!];
                    availability[selection.Subagent!] = chosen with { Running = chosen.Running + 1 };
                }
                else
                {
                    ShowWait(entry, selection.Reason!, now, utc, full);
                    if (!load.AtLimit)
                    {
                        // No subagent takes anything now: the orders behind wait for the same reason.
                        exhausted = selection.Reason;
                    }
                }
            }

            node = next;
        }
    }

    /// <summary>
    /// How long an order must have waited before its reason is recorded: a wait of a moment (a burst queued behind
    /// busy subagents) is not worth a write, a real one shows within this plus one periodic pass.
    /// </summary>
    public static readonly TimeSpan WaitShownAfter = TimeSpan.FromSeconds(2);

    private void ShowWait(OpenOrder entry, string reason, TimeSpan now, DateTime utc, bool full)
    {
        entry.WaitingNow = reason;
        if (full && now - entry.PendingSince >= WaitShownAfter)
        {
            Apply(entry, OrderMachine.Wait(entry.Record, reason, utc), now);
        }
    }

    // ---- batches ----

    /// <summary>The orders to write now (with the version each must have) and the commands that wait for them.</summary>
    public OrderBatch TakeBatch()
    {
        var writes = _dirty.Select(id => _orders[id]).Select(o => (o, o.Record)).ToList();
        var commands = _afterCommit.ToList();
        _dirty.Clear();
        _afterCommit.Clear();
        return new OrderBatch(writes, commands);
    }

    /// <summary>
    /// The batch was written: each applied write's commands go to the outboxes, and ended orders whose end was written
    /// leave memory. A first write that found the id taken withdraws its order (<see cref="OpenOrder.Conflict"/> keeps
    /// what is stored). An update that found another version means another activation wrote: this one is stale.
    /// Returns the subagents that got commands.
    /// </summary>
    public IReadOnlySet<string> Committed(OrderBatch batch, IReadOnlyList<RecordWriteResult> results)
    {
        var withdrawn = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Writes.Count; i++)
        {
            var (entry, written) = batch.Writes[i];
            var result = results[i];
            if (!result.Applied)
            {
                if (entry.Version != 0)
                {
                    throw new StaleDispatcherException($"order {written.Id} was written by another activation of dispatcher {Key} (version {result.Current?.Version}, expected {entry.Version})");
                }

                entry.Conflict = result.Current;
                Withdraw(entry);
                withdrawn.Add(written.Id);
                entry.Stored.TrySetResult(false);
                continue;
            }

            entry.Version = result.Version;
            entry.LastWritten = written;
            entry.Stored.TrySetResult(true);
            if (written.State.IsTerminal() && ReferenceEquals(entry.Record, written) && _orders.GetValueOrDefault(written.Id) == entry)
            {
                _orders.Remove(written.Id);
            }
        }

        var woken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (subagent, command) in batch.Commands.Where(c => !withdrawn.Contains(c.Command.Run.OrderId)))
        {
            Link(subagent, null).Outbox.Add(command);
            woken.Add(subagent);
        }

        return woken;
    }

    /// <summary>A batch did not reach the database: its orders and commands wait for the next one.</summary>
    public void Failed(OrderBatch batch)
    {
        foreach (var (entry, _) in batch.Writes)
        {
            if (_orders.GetValueOrDefault(entry.Record.Id) == entry)
            {
                _dirty.Add(entry.Record.Id);
            }
        }

        _afterCommit.InsertRange(0, batch.Commands);
    }

    // ---- views ----

    /// <summary>An open order as this dispatcher holds it, with why it waits right now; null when it is not open here.</summary>
    public OrderRecord? View(string orderId) => Find(orderId) is { } entry ? entry.WithWaitingNow(entry.Record) : null;

    public IEnumerable<OpenOrder> Open => _orders.Values;

    public int RunningOnNode(string node, TopologyDocument topology) =>
        _processing.Where(p => topology.FindSubagent(p.Key)?.Node == node).Sum(p => p.Value.Count);

    public IReadOnlyList<SubagentStatus> Subagents(TopologyDocument topology, TimeSpan now, TimeSpan heartbeatTimeout)
    {
        var set = SetOf(topology).Set;
        var availability = Availability(set, topology, now, heartbeatTimeout);
        return [.. set.Candidates.Select(c => c.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(id =>
        {
            var spec = topology.FindSubagent(id);
            var status = availability[id];
            var link = _links.GetValueOrDefault(id);
            return new SubagentStatus(
                id, spec?.Agent ?? "?", spec?.Node ?? "?", status.Enabled, status.Heartbeating, status.Unavailable() is null,
                link?.Processing ?? 0, status.ProcessLimit, link is { Incarnation: not null } ? (long)(now - link.LastHeard).TotalMilliseconds : null, status.Unavailable());
        })];
    }

    // ---- inside ----

    /// <summary>This dispatcher's agent and candidates, worked out once per topology version (every dispatch needs them).</summary>
    private (string? Agent, CandidateSet Set) SetOf(TopologyDocument topology)
    {
        if (!ReferenceEquals(_setTopology, topology))
        {
            _set = (DispatcherKeys.AgentOf(topology, Key), DispatcherKeys.SetOf(topology, Key));
            _setTopology = topology;
        }

        return _set;
    }

    private Dictionary<string, SubagentAvailability> Availability(CandidateSet set, TopologyDocument topology, TimeSpan now, TimeSpan heartbeatTimeout)
    {
        var availability = new Dictionary<string, SubagentAvailability>(StringComparer.Ordinal);
        foreach (var candidate in set.Candidates)
        {
            var spec = topology.FindSubagent(candidate.Id);
            var link = _links.GetValueOrDefault(candidate.Id);
            var heartbeating = link is { Incarnation: not null, Lost: false } && now - link.LastHeard <= heartbeatTimeout;
            availability[candidate.Id] = new SubagentAvailability(
                (spec?.Enabled ?? false) && !_disabled.Contains(candidate.Id),
                heartbeating,
                Math.Max(link?.Processing ?? 0, link?.ReportedRunning ?? 0),
                spec?.ProcessLimit ?? 0);
        }

        return availability;
    }

    private void LoseRunsOn(string subagent, string why, DateTime utc, TimeSpan now, TopologyDocument topology)
    {
        foreach (var entry in ProcessingOn(subagent))
        {
            Lose(entry, subagent, why, utc, now, topology);
        }
    }

    private void Lose(OpenOrder entry, string subagent, string why, DateTime utc, TimeSpan now, TopologyDocument topology)
    {
        if (entry.DeliveredTo is null)
        {
            // Its start never left this dispatcher: nothing ran.
            Apply(entry, OrderMachine.StartRefused(entry.Record, subagent, entry.Record.Attempt, why, utc), now);
            return;
        }

        var restartable = topology.FindJob(entry.Record.Job)?.Restartable ?? false;
        var step = OrderMachine.SubagentLost(entry.Record, subagent, restartable, utc);
        if (step.Changed)
        {
            var last = step.Order.History[^1];
            step = step with { Order = step.Order with { History = [.. step.Order.History.SkipLast(1), last with { Detail = $"{last.Detail} ({why})" }] } };
        }

        Apply(entry, step, now);
    }

    /// <summary>A copy: callers change the orders they get.</summary>
    private List<OpenOrder> ProcessingOn(string subagent) =>
        _processing.TryGetValue(subagent, out var ids) ? [.. ids.Select(id => _orders[id])] : [];

    private SubagentLink Link(string subagent, TimeSpan? now)
    {
        if (!_links.TryGetValue(subagent, out var link))
        {
            link = new SubagentLink(subagent, now ?? TimeSpan.MinValue);
            _links[subagent] = link;
        }

        return link;
    }

    /// <summary>Keeps the pending queue and the running counts in step with an order's new state.</summary>
    private void Track(OpenOrder entry, OrderRecord? before)
    {
        var order = entry.Record;
        if (order.State == OrderState.Pending && !_pendingNodes.ContainsKey(order.Id))
        {
            // A restarted attempt goes to the front: it is the oldest work.
            _pendingNodes[order.Id] = before is null ? _pending.AddLast(order.Id) : _pending.AddFirst(order.Id);
        }
        else if (order.State == OrderState.Processing)
        {
            (_processing.TryGetValue(order.Subagent!, out var ids) ? ids : _processing[order.Subagent!] = new(StringComparer.Ordinal)).Add(order.Id);
            Link(order.Subagent!, null).Processing++;
            _runningByJob[order.Job] = _runningByJob.GetValueOrDefault(order.Job) + 1;
        }
    }

    private void Untrack(OrderRecord order)
    {
        if (order.State == OrderState.Pending && _pendingNodes.Remove(order.Id, out var node))
        {
            _pending.Remove(node);
        }
        else if (order.State == OrderState.Processing)
        {
            _processing[order.Subagent!].Remove(order.Id);
            Link(order.Subagent!, null).Processing--;
            _runningByJob[order.Job] = _runningByJob.GetValueOrDefault(order.Job) - 1;
        }
    }
}

/// <summary>Orders to write, each with the record as it was taken, and the commands that wait for them.</summary>
internal sealed record OrderBatch(IReadOnlyList<(OpenOrder Entry, OrderRecord Record)> Writes, IReadOnlyList<(string Subagent, Outgoing Command)> Commands);
