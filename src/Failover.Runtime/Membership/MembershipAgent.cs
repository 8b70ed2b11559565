using Failover.Runtime.Configuration;
using Failover.Runtime.Hosting;
using Failover.Runtime.Membership.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Membership;

/// <summary>
/// This silo's side of the membership protocol: writes its own row through the status changes
/// (Joining → Active → ShuttingDown → Dead) with version compare-and-swap, and renews its IAmAlive lease.
/// </summary>
internal sealed partial class MembershipAgent : IAsyncDisposable
{
    private readonly IMembershipTable _table;
    private readonly Lazy<ISiloFatalHandler> _fatal;
    private readonly FaultInjection _faults;
    private readonly LocalSilo _silo;
    private readonly MembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MembershipAgent> _logger;
    private BackgroundLoop? _renewals;
    private long _lastRenewalStartTimestamp;
    private long _leaseHeldSinceTimestamp;
    private bool _renewalFailing;
    private TaskCompletionSource _nextRenewal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MembershipAgent(
        IMembershipTable table,
        LocalSilo silo,
        IOptions<MembershipOptions> options,
        IServiceProvider services,
        TimeProvider timeProvider,
        ILogger<MembershipAgent> logger,
        FaultInjection? faults = null)
    {
        _faults = faults ?? new FaultInjection();
        _fatal = new Lazy<ISiloFatalHandler>(services.GetRequiredService<ISiloFatalHandler>);
        _table = table;
        _silo = silo;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public SiloStatus Status { get; private set; } = SiloStatus.None;

    /// <summary>Monotonic timestamp of the start of the last renewal that succeeded (the lease is measured from it).</summary>
    public long LastRenewalStartTimestamp => Interlocked.Read(ref _lastRenewalStartTimestamp);

    /// <summary>Monotonic timestamp since which the lease has been renewed without a lapse of LeaseTimeout.</summary>
    public long LeaseHeldSinceTimestamp => Interlocked.Read(ref _leaseHeldSinceTimestamp);

    /// <summary>Completes at the next successful lease renewal.</summary>
    public Task NextRenewal => Volatile.Read(ref _nextRenewal).Task;

    /// <summary>Writes the row as Joining (declaring older generations of this endpoint Dead first) and starts renewing.</summary>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken);
        await DeclareOlderGenerationsDeadAsync(cancellationToken);
        Interlocked.Exchange(ref _lastRenewalStartTimestamp, _timeProvider.GetTimestamp());
        Interlocked.Exchange(ref _leaseHeldSinceTimestamp, LastRenewalStartTimestamp);
        await WriteStatusAsync(SiloStatus.Joining, cancellationToken);
        _renewals = new BackgroundLoop(_options.IAmAlivePeriod, _timeProvider, RenewAsync);
        _renewals.Start();
    }

    public Task BecomeActiveAsync(CancellationToken cancellationToken) => WriteStatusAsync(SiloStatus.Active, cancellationToken);

    public Task BeginShutdownAsync(CancellationToken cancellationToken) => WriteStatusAsync(SiloStatus.ShuttingDown, cancellationToken);

    /// <summary>Stops renewing and writes the row Dead: the end of a graceful shutdown.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        await StopRenewingAsync();
        if (Status is not SiloStatus.None and not SiloStatus.Dead)
        {
            await WriteStatusAsync(SiloStatus.Dead, cancellationToken);
        }
    }

    /// <summary>Stops renewing without writing anything (a simulated crash, or a silo that learned it is Dead).</summary>
    public Task AbandonAsync() => StopRenewingAsync();

    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        if (_renewals is not null)
        {
            await _renewals.DisposeAsync();
        }
    }

    private Task StopRenewingAsync() => _renewals?.StopAsync() ?? Task.CompletedTask;

    private async Task WriteStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= _options.MaxStatusWriteAttempts; attempt++)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken);
            var current = snapshot.Find(_silo.Address);
            if (current?.Status == SiloStatus.Dead && status != SiloStatus.Dead)
            {
                throw new SiloDeclaredDeadException($"Silo {_silo.Address} is marked Dead in the membership table.");
            }

            var written = current is null
                ? await _table.InsertRowAsync(NewRow(status, snapshot.DatabaseTime), snapshot.Version, cancellationToken)
                : await _table.UpdateRowAsync(current with { Status = status }, snapshot.Version, cancellationToken);
            if (written)
            {
                LogStatusChanged(_silo.Address, _silo.NodeName, Status, status);
                Status = status;
                return;
            }

            // Lost the compare-and-swap to another writer: re-read and retry after a short, jittered pause.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * Math.Min(attempt, 10))), _timeProvider, cancellationToken);
        }

        throw new InvalidOperationException(
            $"Could not write membership status {status} for {_silo.Address}: the table version kept changing for {_options.MaxStatusWriteAttempts} attempts.");
    }

    private MembershipEntry NewRow(SiloStatus status, DateTime databaseTime) => new()
    {
        Address = _silo.Address,
        SiloName = _silo.NodeName,
        HostName = _silo.HostName,
        Status = status,
        ProxyPort = _silo.Address.Port,
        StartTime = databaseTime,
        IAmAliveTime = databaseTime,
    };

    /// <summary>A previous incarnation of this endpoint that did not leave cleanly cannot be alive any more.</summary>
    private async Task DeclareOlderGenerationsDeadAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= _options.MaxStatusWriteAttempts; attempt++)
        {
            var snapshot = await _table.ReadAllAsync(cancellationToken);
            foreach (var entry in snapshot.Entries.Where(e => e.Address.IsSameEndpoint(_silo.Address)))
            {
                _silo.EnsureGenerationAbove(entry.Address.Generation);
            }

            var stale = snapshot.Entries.FirstOrDefault(e => e.Address.IsSameEndpoint(_silo.Address)
                && e.Address.Generation < _silo.Address.Generation && e.Status != SiloStatus.Dead);
            if (stale is null)
            {
                return;
            }

            if (await _table.UpdateRowAsync(stale with { Status = SiloStatus.Dead }, snapshot.Version, cancellationToken))
            {
                LogOlderGenerationDead(stale.Address, stale.Status);
            }
        }
    }

    /// <summary>One renewal. False ends the loop: the row is Dead and the silo must stop.</summary>
    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        if (_faults.Paused)
        {
            return true;
        }

        var started = _timeProvider.GetTimestamp();
        try
        {
            await _table.UpdateIAmAliveAsync(_silo.Address, cancellationToken);
            var previous = Interlocked.Exchange(ref _lastRenewalStartTimestamp, started);
            if (_timeProvider.GetElapsedTime(previous, started) >= _options.LeaseTimeout)
            {
                // The lease had lapsed: it is held again from now on.
                Interlocked.Exchange(ref _leaseHeldSinceTimestamp, started);
            }

            Interlocked.Exchange(ref _nextRenewal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            if (_renewalFailing)
            {
                _renewalFailing = false;
                LogRenewalRecovered(_silo.Address);
            }
        }
        catch (SiloDeclaredDeadException exception)
        {
            LogRenewalRefused(_silo.Address, exception.Message);
            _fatal.Value.OnFatal(exception.Message);
            return false;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (!_renewalFailing)
            {
                _renewalFailing = true;
                LogRenewalFailed(_silo.Address, exception.Message);
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloAddress} (node {Node}) membership status {OldStatus} -> {NewStatus}")]
    private partial void LogStatusChanged(SiloAddress siloAddress, string node, SiloStatus oldStatus, SiloStatus newStatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Declared older incarnation {SiloAddress} Dead (it was {Status})")]
    private partial void LogOlderGenerationDead(SiloAddress siloAddress, SiloStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {SiloAddress} could not renew its IAmAlive lease: {Reason}")]
    private partial void LogRenewalFailed(SiloAddress siloAddress, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Silo {SiloAddress} cannot renew its lease: {Reason}")]
    private partial void LogRenewalRefused(SiloAddress siloAddress, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloAddress} renews its IAmAlive lease again")]
    private partial void LogRenewalRecovered(SiloAddress siloAddress);
}
