using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;
using Failover.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.DirectorClusters;

/// <summary>
/// One director instance on this silo: heartbeats its cluster's witness every heartbeat period (without waiting for
/// the previous answer, so a slow witness does not slow the heartbeat) and keeps the <see cref="DirectorLease"/> that
/// says whether it may act as active.
/// </summary>
internal sealed partial class DirectorInstanceRunner : IDisposable
{
    private readonly DirectorInstance _instance;
    private readonly string _name;
    private readonly IGrainFactory _grains;
    private readonly LocalSilo _silo;
    private readonly SiloHealth _health;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly DirectorLease _lease = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _reportGate = new();
    private Task? _loop;
    private bool _reportedActing;
    private long _reportedEpoch;
    private bool _unreachable;

    public DirectorInstanceRunner(
        AgentClusterSpec spec, DirectorInstance instance, IGrainFactory grains, LocalSilo silo, SiloHealth health, TimeProvider timeProvider, ILogger logger)
    {
        Spec = spec;
        _instance = instance;
        _name = instance.ToName();
        _grains = grains;
        _silo = silo;
        _health = health;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public AgentClusterSpec Spec { get; set; }

    public DirectorInstance Instance => _instance;

    public DirectorLease Lease => _lease;

    private IDirectorClusterGrain Witness => _grains.GetGrain<IDirectorClusterGrain>(Spec.Id);

    private TimeSpan Now => MonotonicClock.Now(_timeProvider);

    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>Stops acting at once, then tells the witness (a normal stop, or one that asks for a fail-over).</summary>
    public async Task StopAsync(bool failOver, bool tellWitness)
    {
        await _stop.CancelAsync();
        lock (_lease)
        {
            _lease.Revoke();
        }

        Report(Now);
        if (_loop is not null)
        {
            await _loop;
        }

        if (tellWitness)
        {
            try
            {
                await Witness.Stopping(_instance, _silo.Incarnation, failOver).WaitAsync(Spec.HeartbeatTimeout * 2);
                LogStopped(Spec.Id, _name, failOver);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogStopNotDelivered(Spec.Id, _name, exception.Message);
            }
        }

    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            inFlight.RemoveAll(t => t.IsCompleted);
            inFlight.Add(HeartbeatAsync(cancellationToken));
            Report(Now);
            try
            {
                await Task.Delay(Spec.Heartbeat, _timeProvider, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var sentAt = Now;
        DirectorHeartbeat heartbeat;
        lock (_lease)
        {
            var acting = _health.HoldsLease ? _lease.Acting(sentAt) : DirectorRole.Standby;
            heartbeat = new DirectorHeartbeat(_instance, _silo.Incarnation, _lease.Epoch, acting);
        }

        try
        {
            var answer = await Witness.Heartbeat(heartbeat).WaitAsync(Spec.HeartbeatTimeout, _timeProvider, cancellationToken);
            lock (_lease)
            {
                _lease.OnAnswer(sentAt, answer);
            }

            if (_unreachable)
            {
                _unreachable = false;
                LogWitnessReachable(Spec.Id, _name);
            }

            Report(Now);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            if (!_unreachable)
            {
                _unreachable = true;
                LogWitnessUnreachable(Spec.Id, _name, exception.Message);
            }
        }
    }

    /// <summary>Logs every change of acting: the line operators (and the fail-over benchmark) look for.</summary>
    private void Report(TimeSpan now)
    {
        bool acting;
        long epoch;
        DirectorClusterState? state;
        lock (_lease)
        {
            acting = _lease.IsActing(now) && _health.HoldsLease;
            epoch = _lease.Epoch;
            state = _lease.ClusterState;
        }

        lock (_reportGate)
        {
            if (acting == _reportedActing && (!acting || epoch == _reportedEpoch))
            {
                return;
            }

            _reportedActing = acting;
            _reportedEpoch = epoch;
        }

        if (acting)
        {
            LogActing(Spec.Id, _name, epoch, state);
        }
        else
        {
            LogNotActing(Spec.Id, _name, epoch, state);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Director {Agent}/{Instance} ACTING as active with epoch {Epoch} ({State})")]
    private partial void LogActing(string agent, string instance, long epoch, DirectorClusterState? state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Director {Agent}/{Instance} no longer acting as active (epoch {Epoch}, {State})")]
    private partial void LogNotActing(string agent, string instance, long epoch, DirectorClusterState? state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Director {Agent}/{Instance} cannot reach its witness: {Reason}")]
    private partial void LogWitnessUnreachable(string agent, string instance, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Director {Agent}/{Instance} reaches its witness again")]
    private partial void LogWitnessReachable(string agent, string instance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Director {Agent}/{Instance} stopped (fail-over requested: {FailOver})")]
    private partial void LogStopped(string agent, string instance, bool failOver);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Director {Agent}/{Instance} stopped without telling its witness: {Reason}")]
    private partial void LogStopNotDelivered(string agent, string instance, string reason);
}
