using Failover.Storage.Membership;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Failover.Hosting.Leases;

/// <summary>
/// Renews the node lease from the moment the silo is Active: every <see cref="NodeLeaseOptions.RenewPeriod"/> its
/// membership row's IAmAliveTime is set to the database clock. A row found Dead (or gone) means others declared this
/// silo dead: it exits at once through the fatal error handler, instead of waiting for Orleans' next table read.
/// </summary>
internal sealed partial class NodeLeaseRenewer(
    IMembershipRows rows,
    ILocalSiloDetails silo,
    NodeLease lease,
    IOptions<NodeLeaseOptions> options,
    IFatalErrorHandler fatal,
    TimeProvider time,
    ILogger<NodeLeaseRenewer> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(NodeLeaseRenewer), ServiceLifecycleStage.BecomeActive, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(() => RenewLoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RenewLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.RenewPeriod, time);
        var failing = false;
        do
        {
            var sentAt = time.GetTimestamp();
            try
            {
                if (await rows.RenewLeaseAsync(silo.SiloAddress, stopping) is null)
                {
                    fatal.OnFatalException(this, nameof(NodeLeaseRenewer), new InvalidOperationException(
                        $"silo {silo.SiloAddress.ToParsableString()} ({silo.Name}) is declared Dead in the membership table"));
                    return;
                }

                // Measured up to the answer: calls are held from the lease's end until this renewal lands, however
                // late it was sent or however long its round trip took.
                if (lease.LapsedFor(time.GetTimestamp()) is { } lapsedFor)
                {
                    LogLapsed(lapsedFor.TotalMilliseconds, time.GetElapsedTime(sentAt).TotalMilliseconds);
                }

                lease.Renewed(sentAt);
                if (failing)
                {
                    failing = false;
                    LogRenewedAgain();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                if (!failing)
                {
                    failing = true;
                    LogRenewalFailed(exception.Message, lease.Timeout.TotalMilliseconds);
                }
            }
        }
        while (await NextTickAsync(timer, stopping));
    }

    public void Dispose() => _stopping.Dispose();

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node lease not renewed: {Reason}; this silo stops acting {TimeoutMs} ms after its last renewal")]
    private partial void LogRenewalFailed(string reason, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node lease had lapsed for {LapsedMs:0} ms until a renewal landed (its round trip took {RoundTripMs:0} ms; a busy or paused process, or a slow database); product grain calls were held meanwhile")]
    private partial void LogLapsed(double lapsedMs, double roundTripMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node lease renewed again")]
    private partial void LogRenewedAgain();
}
