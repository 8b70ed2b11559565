using System.Threading.Channels;
using Failover.Storage.Events;
using Orleans;
using Orleans.Runtime;
using Failover.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Agents.FailoverPairs;

/// <summary>What every failover agent of a silo shares.</summary>
internal sealed record FailoverPairServices(
    LocalSilo Silo,
    SiloKeyPair Keys,
    IGrainFactory Grains,
    SiloHealth Health,
    IClusterEventLog Events,
    TimeProvider Time,
    ManagedAgentLauncher Launcher,
    ILoggerFactory LoggerFactory);

/// <summary>
/// One configured failover agent: the thin shell around <see cref="PairStateMachine"/>. It heartbeats the peer and the
/// witness every heartbeat_period, answers the peer's heartbeats, feeds every event and the lease into the machine
/// (serialized by one gate), carries out its commands on the managed agent, and logs and records every change of
/// decision as an event (source <c>pair:&lt;identity&gt;</c>).
/// </summary>
internal sealed class FailoverPairAgent : BackgroundService
{
    private static readonly TimeSpan s_leasePollInterval = TimeSpan.FromMilliseconds(200);

    private readonly FailoverAgentConfig _config;
    private readonly ManagedAgentDefinition _definition;
    private readonly FailoverPairServices _services;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly WakeSignal _askWitness = new();
    private readonly WakeSignal _decide = new();
    private readonly Channel<(string Kind, string Detail)> _events =
        Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly string _bootId = Guid.NewGuid().ToString("N");
    private readonly PeerReplayGuard _replays = new();
    private readonly string _source;
    private PairStateMachine _machine = null!;
    private TimeSpan _nextDecisionAt = TimeSpan.MaxValue;
    private bool _leaseValid;
    private long _peerSequence;
    private string? _peerNode;
    private readonly TaskCompletionSource _peerHeard = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IManagedAgent? _agent;
    private PairDecision _lastDecision = PairDecision.Stop;
    private bool _peerUnreachable;
    private bool _witnessUnreachable;
    private CancellationToken _stopping;

    /// <summary>The peer's node name, once a heartbeat of it was heard (placement keeps the pair's witness off it).</summary>
    public string? PeerNode => Volatile.Read(ref _peerNode);

    public FailoverPairAgent(FailoverAgentConfig config, ManagedAgentDefinition definition, FailoverPairServices services)
    {
        _config = config;
        _definition = definition;
        _services = services;
        _logger = services.LoggerFactory.CreateLogger($"{typeof(FailoverPairAgent).FullName}[{config.AgentVipIdentity}]");
        _source = $"pair:{config.AgentVipIdentity}";
    }

    public FailoverAgentConfig Config => _config;

    /// <summary>Monotonic: every timeout decision of the pair is taken on it, never on the wall clock.</summary>
    private TimeSpan Now => PairClock.Now(_services.Time);

    private string Name => PairNames.Of(_config.AgentId);

    /// <summary>
    /// A heartbeat from the peer, already authenticated: feeds it to the machine, then answers with this side's own
    /// signed heartbeat, taken after the machine has seen the request (so "not running" in the answer holds).
    /// </summary>
    public async Task<PeerHeartbeat> OnPeerHeartbeatAsync(PeerHeartbeat request, CancellationToken cancellationToken)
    {
        if (!_replays.Accept(request.BootId, request.Sequence))
        {
            throw new InvalidOperationException($"heartbeat {PeerHeartbeat.EchoOf(request)} was already seen (replayed or reordered)");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_machine is null)
            {
                throw new InvalidOperationException("the failover agent is starting");
            }

            _peerNode = request.Node;
            _peerHeard.TrySetResult();
            await ApplyAsync(_machine.PeerHeartbeatReceived(Now));
            return PeerHeartbeat.Create(
                _config.AgentVipIdentity, _config.AgentId, _services.Silo.NodeName, _bootId, request.Sequence, _machine.ReportsRunning,
                PeerHeartbeat.EchoOf(request), _services.Keys);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Record(string kind, string detail) => _events.Writer.TryWrite((kind, detail));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_agent is { } agent)
        {
            agent.Stop(StopGrace);
            await agent.Exited.WaitAsync(StopGrace + TimeSpan.FromSeconds(5), _services.Time, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        await _gate.WaitAsync(stoppingToken);
        try
        {
            _machine = new PairStateMachine(_config.AgentId, _config.Behavior, _config.Timing, Now);
        }
        finally
        {
            _gate.Release();
        }

        var behavior = PairNames.Of(_config.Behavior);
        var remoteVip = _config.RemoteVip;
        var keyState = _config.RemoteServerKey.Length == 0 ? "not checked (remote_serverkey is empty)" : "checked";
        FailoverPairsLog.Starting(_logger, _config.AgentVipIdentity, Name, behavior, remoteVip, _config.HeartbeatPeriod, _config.Timeout, keyState);
        Record("started", $"{Name} on {_services.Silo.NodeName}, {behavior} behavior, peer {remoteVip}");
        await Task.WhenAll(DecisionLoopAsync(stoppingToken), PeerLoopAsync(stoppingToken), WitnessLoopAsync(stoppingToken), EventLoopAsync(stoppingToken));
    }

    private TimeSpan StopGrace => _config.Timing.Guard / 2;

    private async Task DecisionLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var lease = _services.Health.HoldsLease;
                if (lease != _leaseValid)
                {
                    _leaseValid = lease;
                    await ApplyAsync(_machine.LeaseChanged(lease, Now));
                }
                else
                {
                    await ApplyAsync(_machine.Tick(Now));
                }
            }
            finally
            {
                _gate.Release();
            }

            var wait = _nextDecisionAt - Now;
            await _decide.WaitAsync(wait < s_leasePollInterval ? wait : s_leasePollInterval, _services.Time, cancellationToken);
        }
    }

    private async Task PeerLoopAsync(CancellationToken cancellationToken)
    {
        using var link = new PeerLink(_config);
        var period = _config.HeartbeatPeriod;
        var callTimeout = period < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : period;
        while (!cancellationToken.IsCancellationRequested)
        {
            var sentAt = Now;
            var started = _services.Time.GetTimestamp();
            await ExchangeWithPeerAsync(link, sentAt, callTimeout, cancellationToken);
            var left = period - _services.Time.GetElapsedTime(started);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, _services.Time, cancellationToken);
            }
        }
    }

    private async Task ExchangeWithPeerAsync(PeerLink link, TimeSpan sentAt, TimeSpan timeout, CancellationToken cancellationToken)
    {
        PeerHeartbeat request;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            request = PeerHeartbeat.Create(
                _config.AgentVipIdentity, _config.AgentId, _services.Silo.NodeName, _bootId, ++_peerSequence, _machine.ReportsRunning, echo: null,
                _services.Keys);
        }
        finally
        {
            _gate.Release();
        }

        PeerHeartbeat answer;
        try
        {
            answer = await link.ExchangeAsync(request, timeout, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (!_peerUnreachable)
            {
                _peerUnreachable = true;
                FailoverPairsLog.PeerUnreachable(_logger, _config.AgentVipIdentity, _config.RemoteVip, exception.Message);
            }

            return;
        }

        if (PeerHeartbeatCheck.Problem(answer, _config, expectedEcho: PeerHeartbeat.EchoOf(request)) is { } problem)
        {
            FailoverPairsLog.HeartbeatRejected(_logger, _config.AgentVipIdentity, _config.RemoteVip, problem);
            Record("heartbeat-rejected", $"answer from {_config.RemoteVip}: {problem}");
            return;
        }

        if (_peerUnreachable)
        {
            _peerUnreachable = false;
            FailoverPairsLog.PeerReachable(_logger, _config.AgentVipIdentity, _config.RemoteVip);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _peerNode = answer.Node;
            _peerHeard.TrySetResult();
            await ApplyAsync(_machine.PeerHeartbeatAcknowledged(sentAt, Now, answer.Running));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WitnessLoopAsync(CancellationToken cancellationToken)
    {
        // The first report places the witness, off this node and the peer's: wait until the peer's node is known. Nobody
        // needs central before the peer has been heard or the optimistic start (one timeout) is over.
        await Task.WhenAny(_peerHeard.Task, Task.Delay(_config.Timeout, _services.Time, cancellationToken));
        var witness = _services.Grains.GetGrain<IFailoverPairWitnessGrain>(_config.AgentVipIdentity);
        var registered = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            long sequence;
            WitnessReport report;
            TimeSpan interval;
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var now = Now;
                sequence = _machine.BeginWitnessHeartbeat(now);
                report = new WitnessReport(
                    _config.AgentVipIdentity, _config.AgentId, _config.Behavior, _services.Silo.NodeName, _peerNode, _bootId, sequence,
                    _machine.ReportsRunning, _machine.PeerUp(now), _machine.CentralUp(now), _machine.Decision, _config.Timeout);
                interval = _machine.WitnessInterval;
            }
            finally
            {
                _gate.Release();
            }

            var started = _services.Time.GetTimestamp();
            try
            {
                // Without a lease central is down anyway; and a silo not yet Active would place the witness on itself.
                if (!_services.Health.HoldsLease)
                {
                    await _askWitness.WaitAsync(interval, _services.Time, cancellationToken);
                    continue;
                }

                var verdict = await witness.Heartbeat(report).WaitAsync(_config.HeartbeatPeriod, _services.Time, cancellationToken);
                _witnessUnreachable = false;
                await _gate.WaitAsync(cancellationToken);
                try
                {
                    await ApplyAsync(_machine.WitnessAnswered(sequence, Now, verdict));
                }
                finally
                {
                    _gate.Release();
                }

                if (!registered)
                {
                    await _services.Grains.GetGrain<IFailoverPairRegistryGrain>(IFailoverPairRegistryGrain.Key)
                        .Register(_config.AgentVipIdentity).WaitAsync(_config.Timeout, _services.Time, cancellationToken);
                    registered = true;
                }
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (!_witnessUnreachable)
                {
                    _witnessUnreachable = true;
                    FailoverPairsLog.WitnessUnreachable(_logger, _config.AgentVipIdentity, exception.Message);
                }
            }

            await _askWitness.WaitAsync(interval - _services.Time.GetElapsedTime(started), _services.Time, cancellationToken);
        }
    }

    private async Task EventLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (kind, detail) in _events.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await _services.Events.AppendAsync(_source, kind, detail, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    FailoverPairsLog.EventNotRecorded(_logger, _config.AgentVipIdentity, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Carries out one step's commands; called under the gate.</summary>
    private async Task ApplyAsync(PairStep step)
    {
        if (step.DecisionChanged)
        {
            var was = PairDecisionNames.Of(_lastDecision);
            var decision = PairDecisionNames.Of(step.Decision);
            FailoverPairsLog.DecisionChanged(_logger, _config.AgentVipIdentity, Name, decision, was, step.Reason);
            Record("decision", $"{Name} on {_services.Silo.NodeName}: {was} → {decision} ({step.Reason})");
        }

        _lastDecision = step.Decision;
        _nextDecisionAt = step.NextDecisionAt;
        foreach (var command in step.Commands)
        {
            switch (command)
            {
                case PairCommand.StartAgent:
                    await StartAgentAsync();
                    break;
                case PairCommand.StopAgent:
                    _agent?.Stop(StopGrace);
                    break;
                case PairCommand.AskWitness:
                    _askWitness.Wake();
                    break;
            }
        }
    }

    private async Task StartAgentAsync()
    {
        IManagedAgent agent;
        try
        {
            agent = await _services.Launcher.StartAsync(_definition, new Dictionary<string, string>
            {
                ["FAILOVER_AGENT_IDENTITY"] = _config.AgentVipIdentity,
                ["FAILOVER_NODE"] = _services.Silo.NodeName,
                ["FAILOVER_AGENT_ID"] = Name,
            }, _stopping);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            FailoverPairsLog.AgentStartFailed(_logger, _config.AgentVipIdentity, exception.Message);
            Record("agent-start-failed", exception.Message);
            await ApplyAsync(_machine.AgentExited(Now));
            return;
        }

        _agent = agent;
        FailoverPairsLog.AgentStarted(_logger, _config.AgentVipIdentity, agent.ProcessId);
        Record("agent-started", $"on {_services.Silo.NodeName}{(agent.ProcessId is { } pid ? $", pid {pid}" : "")}");
        _ = WatchAsync(agent);
        await ApplyAsync(_machine.AgentStarted(Now));
    }

    private async Task WatchAsync(IManagedAgent agent)
    {
        await agent.Exited;
        FailoverPairsLog.AgentExited(_logger, _config.AgentVipIdentity, agent.ProcessId);
        Record("agent-exited", $"on {_services.Silo.NodeName}{(agent.ProcessId is { } pid ? $", pid {pid}" : "")}");
        try
        {
            await _gate.WaitAsync(_stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (ReferenceEquals(_agent, agent))
            {
                _agent = null;
                await ApplyAsync(_machine.AgentExited(Now));
            }
        }
        finally
        {
            _gate.Release();
        }

        _decide.Wake();
    }
}
