namespace Failover.Agents.FailoverPairs;

/// <summary>
/// The decisions of one failover agent (DESIGN §5), pure: inputs are events and the current time, outputs the
/// decision and the commands for the managed agent. Not thread-safe; the shell serializes the inputs. Times are
/// monotonic (<see cref="PairClock"/>, elapsed time of this process), never the wall clock: an NTP step must neither
/// stretch nor cut a view.
/// <para>
/// Views. The peer counts up while a heartbeat was heard within <c>timeout</c>, and for <c>timeout</c> after start
/// (optimistic start, VOLTTRON issue 848). Central counts up while the silo holds a valid lease and the witness
/// answered a heartbeat sent within <c>timeout</c>. The primary — which must have stopped before the secondary may
/// start — only counts heartbeats the secondary acknowledged, from the moment it sent them, and lets its views lapse
/// <see cref="PairTiming.Guard"/> early; the secondary counts the primary's heartbeats from when they arrived. So the
/// primary's views always end before the secondary's view of the primary and the witness's view of the primary do.
/// </para>
/// <para>
/// Standard behavior, the tables of DESIGN §5, plus a hand-over rule: a primary that is not yet running starts only
/// when it knows the secondary does not run the agent (the secondary's acknowledgement says so, or central does);
/// until then it decides <see cref="PairDecision.AwaitPeerRelease"/>. Simple behavior: the primary always runs the
/// agent; the secondary runs it while the primary is down (split brain when the two are partitioned, by design).
/// </para>
/// </summary>
public sealed class PairStateMachine
{
    private readonly PairRole _role;
    private readonly PairBehavior _behavior;
    private readonly PairTiming _timing;
    private TimeSpan _peerUpUntil;
    private TimeSpan _centralUntil = TimeSpan.MinValue;
    private bool _leaseValid = true;
    private WitnessVerdict _verdict = new(PrimaryConfirmedDown: false, SecondaryMayRun: true);
    private TimeSpan _latestAckSentAt = TimeSpan.MinValue;
    private bool _latestAckPeerRunning = true;
    private long _witnessSequence;
    private TimeSpan _witnessSentAt;
    private TimeSpan _verdictSentAt = TimeSpan.MinValue;
    private bool _verdictIsLatest;
    private bool _agentAlive;
    private bool _stopRequested;
    private TimeSpan _lastStartAt = TimeSpan.MinValue;

    public PairStateMachine(PairRole role, PairBehavior behavior, PairTiming timing, TimeSpan startedAt)
    {
        ArgumentNullException.ThrowIfNull(timing);
        if (timing.HeartbeatPeriod <= TimeSpan.Zero || timing.Timeout <= timing.HeartbeatPeriod)
        {
            throw new ArgumentException("heartbeat_period must be positive and timeout greater than it.", nameof(timing));
        }

        _role = role;
        _behavior = behavior;
        _timing = timing;
        _peerUpUntil = startedAt + timing.Timeout - PrimaryGuard;
        Decision = PairDecision.Stop;
    }

    public PairRole Role => _role;

    public PairBehavior Behavior => _behavior;

    public PairDecision Decision { get; private set; }

    public string Reason { get; private set; } = "starting";

    /// <summary>
    /// What this side tells its peer and the witness: true while the agent runs here, is being started or stopped, or is
    /// meant to run. Never false while it might run.
    /// </summary>
    public bool ReportsRunning => Decision == PairDecision.Start || _agentAlive;

    public bool AgentAlive => _agentAlive;

    /// <summary>How often to heartbeat the witness: every heartbeat_period, faster while verifying a loss with it.</summary>
    public TimeSpan WitnessInterval => Decision == PairDecision.VerifyWithCentral
        ? TimeSpan.FromTicks(Math.Min(_timing.HeartbeatPeriod.Ticks, VerifyInterval.Ticks))
        : _timing.HeartbeatPeriod;

    private static TimeSpan VerifyInterval => TimeSpan.FromMilliseconds(200);

    private TimeSpan PrimaryGuard => _role == PairRole.Primary ? _timing.Guard : TimeSpan.Zero;

    public bool PeerUp(TimeSpan now) => now < _peerUpUntil;

    public bool CentralUp(TimeSpan now) => _leaseValid && now < _centralUntil;

    /// <summary>A heartbeat request from the peer arrived (already authenticated).</summary>
    public PairStep PeerHeartbeatReceived(TimeSpan now)
    {
        // The primary does not extend its view on requests: their send time is unknown to it (see the class remarks).
        if (_role == PairRole.Secondary)
        {
            Extend(ref _peerUpUntil, now + _timing.Timeout);
        }

        return Decide(now);
    }

    /// <summary>The peer acknowledged the heartbeat this side sent at <paramref name="sentAt"/>; it runs the agent or not.</summary>
    public PairStep PeerHeartbeatAcknowledged(TimeSpan sentAt, TimeSpan now, bool peerRunning)
    {
        Extend(ref _peerUpUntil, sentAt + _timing.Timeout - PrimaryGuard);
        if (sentAt >= _latestAckSentAt)
        {
            _latestAckSentAt = sentAt;
            _latestAckPeerRunning = peerRunning;
        }

        return Decide(now);
    }

    /// <summary>Starts a heartbeat to the witness: its sequence number (answers to older ones are ignored).</summary>
    public long BeginWitnessHeartbeat(TimeSpan now)
    {
        _witnessSentAt = now;
        _verdictIsLatest = false;
        return ++_witnessSequence;
    }

    /// <summary>The witness answered heartbeat <paramref name="sequence"/>.</summary>
    public PairStep WitnessAnswered(long sequence, TimeSpan now, WitnessVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (sequence == _witnessSequence)
        {
            Extend(ref _centralUntil, _witnessSentAt + _timing.Timeout - _timing.Guard);
            _verdict = verdict;
            _verdictSentAt = _witnessSentAt;
            _verdictIsLatest = true;
        }

        return Decide(now);
    }

    /// <summary>The silo's lease became valid or invalid.</summary>
    public PairStep LeaseChanged(bool valid, TimeSpan now)
    {
        _leaseValid = valid;
        return Decide(now);
    }

    /// <summary>The shell started the managed agent (after <see cref="PairCommand.StartAgent"/>).</summary>
    public PairStep AgentStarted(TimeSpan now)
    {
        _agentAlive = true;
        return Decide(now);
    }

    /// <summary>The managed agent ended (stopped, died, or could not be started).</summary>
    public PairStep AgentExited(TimeSpan now)
    {
        _agentAlive = false;
        _stopRequested = false;
        return Decide(now);
    }

    /// <summary>Time passed (at least once a second, and at every <see cref="PairStep.NextDecisionAt"/>).</summary>
    public PairStep Tick(TimeSpan now) => Decide(now);

    private static void Extend(ref TimeSpan until, TimeSpan candidate)
    {
        if (candidate > until)
        {
            until = candidate;
        }
    }

    private PairStep Decide(TimeSpan now)
    {
        var peerUp = PeerUp(now);
        var centralUp = CentralUp(now);
        var (decision, reason) = _behavior == PairBehavior.Simple
            ? DecideSimple(peerUp)
            : _role == PairRole.Primary ? DecidePrimary(now, peerUp, centralUp) : DecideSecondary(peerUp, centralUp);

        var changed = decision != Decision;
        Decision = decision;
        Reason = reason;

        var commands = new List<PairCommand>(1);
        if (decision == PairDecision.Start && !_agentAlive && now >= _lastStartAt + PairTiming.RestartDelay)
        {
            commands.Add(PairCommand.StartAgent);
            _lastStartAt = now;
        }
        else if (decision != PairDecision.Start && _agentAlive && !_stopRequested)
        {
            commands.Add(PairCommand.StopAgent);
            _stopRequested = true;
        }

        if (changed && decision == PairDecision.VerifyWithCentral)
        {
            commands.Add(PairCommand.AskWitness);
        }

        return new PairStep(decision, commands, changed, reason, peerUp, centralUp, NextDecisionAt(now));
    }

    private (PairDecision, string) DecideSimple(bool peerUp) => _role == PairRole.Primary
        ? (PairDecision.Start, "simple behavior: the primary always runs its agent → start")
        : peerUp ? (PairDecision.Stop, "simple behavior: primary up → stop") : (PairDecision.Start, "simple behavior: primary down → start");

    private (PairDecision, string) DecidePrimary(TimeSpan now, bool peerUp, bool centralUp)
    {
        if (!peerUp && !centralUp)
        {
            return (PairDecision.Stop, "secondary down, central down → stop");
        }

        var reason = peerUp
            ? centralUp ? "secondary up, central up → start" : "secondary up, central down → start"
            : "secondary down, central up → start";
        if (Decision == PairDecision.Start)
        {
            return (PairDecision.Start, reason);
        }

        var secondaryReleased = !_latestAckPeerRunning && now < _latestAckSentAt + _timing.Timeout - _timing.Guard;
        var centralSaysReleased = centralUp && !_verdict.SecondaryMayRun;
        return secondaryReleased || centralSaysReleased
            ? (PairDecision.Start, reason)
            : (PairDecision.AwaitPeerRelease, reason + " once the secondary does not run the agent");
    }

    private (PairDecision, string) DecideSecondary(bool peerUp, bool centralUp)
    {
        if (peerUp)
        {
            return (PairDecision.Stop, centralUp ? "primary up, central up → stop" : "primary up, central down → stop");
        }

        if (!centralUp)
        {
            return (PairDecision.Stop, "primary down, central down → stop");
        }

        // A confirmation starts the agent only if it answers the latest heartbeat, asked when the primary already
        // counted down and not heard since; once running, the agent keeps running while central still confirms.
        var confirmed = _verdict.PrimaryConfirmedDown
            && (Decision == PairDecision.Start || (_verdictIsLatest && _verdictSentAt >= _peerUpUntil));
        return confirmed
            ? (PairDecision.Start, "primary down, central confirms → start")
            : (PairDecision.VerifyWithCentral, "primary down, central up → verify with central");
    }

    private TimeSpan NextDecisionAt(TimeSpan now)
    {
        var next = now + PairTiming.MaxDecisionInterval;
        Consider(_peerUpUntil);
        Consider(_centralUntil);
        Consider(_latestAckSentAt + _timing.Timeout - _timing.Guard);
        if (Decision == PairDecision.Start && !_agentAlive)
        {
            Consider(_lastStartAt + PairTiming.RestartDelay);
        }

        return next;

        void Consider(TimeSpan at)
        {
            if (at > now && at < next)
            {
                next = at;
            }
        }
    }
}
