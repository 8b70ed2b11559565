using Failover.Runtime.Configuration;
using Failover.Runtime.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Membership.Protocol;

/// <summary>
/// The failure detector's shell around <see cref="MembershipDecisions"/>: every ProbePeriod it reads the table,
/// publishes it to the <see cref="MembershipView"/>, probes the other Active silos, and writes the resulting
/// deaths and votes with version compare-and-swap. A silo whose lease is not valid neither probes nor writes.
/// </summary>
internal sealed partial class MembershipProtocolLoop : IAsyncDisposable
{
    private readonly IMembershipTable _table;
    private readonly MembershipView _view;
    private readonly IProbeSender _probeSender;
    private readonly LocalSilo _silo;
    private readonly MembershipOptions _options;
    private readonly ISiloFatalHandler _fatalHandler;
    private readonly MembershipAgent _agent;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MembershipProtocolLoop> _logger;
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly Dictionary<SiloAddress, ProbeRecord> _probes = [];
    private readonly BackgroundLoop _loop;
    private readonly FaultInjection _faults;
    private bool _exited;
    private bool _fenced;
    private bool _roundsFailing;

    public MembershipProtocolLoop(
        IMembershipTable table,
        MembershipView view,
        IProbeSender probeSender,
        LocalSilo silo,
        IOptions<MembershipOptions> options,
        ISiloFatalHandler fatalHandler,
        MembershipAgent agent,
        TimeProvider timeProvider,
        ILogger<MembershipProtocolLoop> logger,
        FaultInjection? faults = null)
    {
        _faults = faults ?? new FaultInjection();
        _table = table;
        _view = view;
        _probeSender = probeSender;
        _silo = silo;
        _options = options.Value;
        _fatalHandler = fatalHandler;
        _agent = agent;
        _timeProvider = timeProvider;
        _logger = logger;
        _loop = new BackgroundLoop(_options.ProbePeriod, timeProvider, RoundAsync, runAtStart: true);
    }

    /// <summary>True once this silo found itself Dead and called the fatal handler; the loop does nothing more.</summary>
    public bool Exited => Volatile.Read(ref _exited);

    public void Start() => _loop.Start();

    public Task StopAsync() => _loop.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync();
        _publishGate.Dispose();
    }

    /// <summary>Reads the table and publishes it to the view now, outside the probe rhythm.</summary>
    public async Task RefreshNowAsync(CancellationToken cancellationToken) => await ReadAndPublishAsync(cancellationToken);

    /// <summary>One round: read, publish, probe, decide, write. Throws only what the table throws.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (Exited)
        {
            return;
        }

        // Taken before the read: a status set by then means the row was written before the read saw the table.
        var statusBeforeRead = _agent.Status;
        var snapshot = await ReadAndPublishAsync(cancellationToken);
        var phase = _agent.Status == SiloStatus.Dead ? LocalMembershipPhase.Left
            : statusBeforeRead == SiloStatus.None ? LocalMembershipPhase.NotJoined
            : LocalMembershipPhase.Joined;
        var self = _silo.Address;
        var acting = phase == LocalMembershipPhase.Joined && snapshot.Find(self)?.Status == SiloStatus.Active && LeaseIsValid();
        if (acting)
        {
            await ProbeActivePeersAsync(snapshot, self, cancellationToken);
        }
        else
        {
            // Misses recorded before a pause or a lost lease say nothing about the peers now.
            _probes.Clear();
        }

        var commands = MembershipDecisions.Decide(snapshot, self, phase, _probes, _options, judgeLeases: OwnLeaseHeldFor() >= _options.DeathTimeout);
        if (commands.OfType<ExitSelf>().FirstOrDefault() is { } exit)
        {
            Exit(self, exit.Reason);
            return;
        }

        if (acting && commands.Count > 0 && await ApplyAsync(snapshot, self, commands, cancellationToken))
        {
            await ReadAndPublishAsync(cancellationToken);
        }
    }

    /// <summary>One round of the loop: failures are logged once (and their end), and the loop goes on.</summary>
    private async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        if (_faults.Paused)
        {
            return true;
        }

        try
        {
            await RunOnceAsync(cancellationToken);
            if (_roundsFailing)
            {
                _roundsFailing = false;
                LogRoundsRecovered(_silo.Address);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (!_roundsFailing)
            {
                _roundsFailing = true;
                LogRoundFailed(_silo.Address, exception.Message);
            }
        }

        return !Exited;
    }

    /// <summary>Serialised so that a slower, older read never replaces a newer one in the view.</summary>
    private async Task<MembershipSnapshot> ReadAndPublishAsync(CancellationToken cancellationToken)
    {
        await _publishGate.WaitAsync(cancellationToken);
        try
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken);
            var previous = _view.Current;
            _view.Update(snapshot);
            foreach (var entry in snapshot.Entries.Where(e => e.Status == SiloStatus.Dead))
            {
                if (previous.Find(entry.Address) is { Status: not SiloStatus.Dead } before)
                {
                    LogObservedDead(entry.Address, entry.SiloName, before.Status, snapshot.Version);
                }
            }

            return snapshot;
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>How long this silo's lease has been valid without a lapse (zero while it is not valid).</summary>
    private TimeSpan OwnLeaseHeldFor() =>
        LeaseIsValid() ? _timeProvider.GetElapsedTime(_agent.LeaseHeldSinceTimestamp) : TimeSpan.Zero;

    private bool LeaseIsValid()
    {
        var now = _timeProvider.GetTimestamp();
        var last = _agent.LastRenewalStartTimestamp;
        var valid = SiloLease.IsValid(now, last, _timeProvider.TimestampFrequency, _options.LeaseTimeout);
        if (valid == _fenced)
        {
            _fenced = !valid;
            if (valid)
            {
                LogLeaseRegained(_silo.Address);
            }
            else
            {
                LogFenced(_silo.Address, SiloLease.Elapsed(now, last, _timeProvider.TimestampFrequency), _options.LeaseTimeout);
            }
        }

        return valid;
    }

    private void Exit(SiloAddress self, string reason)
    {
        Volatile.Write(ref _exited, true);
        LogExit(self, reason);
        try
        {
            _fatalHandler.OnFatal(reason);
        }
        catch (Exception exception)
        {
            LogFatalHandlerFailed(self, exception.Message);
        }
    }
}
