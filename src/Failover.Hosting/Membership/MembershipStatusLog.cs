using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Failover.Hosting.Membership;

/// <summary>
/// Logs every change of this silo's own membership status (<c>membership status Joining -> Active</c>) and every other
/// silo that became Dead, so an operator reads a silo's life in its log.
/// </summary>
internal sealed partial class MembershipStatusLog(ISiloStatusOracle oracle, ILocalSiloDetails local, ILogger<MembershipStatusLog> logger)
    : ILifecycleParticipant<ISiloLifecycle>, ISiloStatusListener
{
    private readonly Lock _lock = new();
    private SiloStatus _status = SiloStatus.None;
    private string _self = "";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(MembershipStatusLog), ServiceLifecycleStage.RuntimeInitialize - 1, Start, Stop);

    public void SiloStatusChangeNotification(SiloAddress updatedSilo, SiloStatus status)
    {
        if (!updatedSilo.Equals(local.SiloAddress))
        {
            if (status == SiloStatus.Dead && logger.IsEnabled(LogLevel.Warning))
            {
                LogOtherDead(updatedSilo.ToParsableString(), oracle.TryGetSiloName(updatedSilo, out var name) ? name : "?");
            }

            return;
        }

        SiloStatus previous;
        lock (_lock)
        {
            previous = _status;
            if (previous == status)
            {
                return;
            }

            _status = status;
        }

        LogOwnStatus(previous, status, _self, local.Name);
    }

    private Task Start(CancellationToken cancellationToken)
    {
        _self = local.SiloAddress.ToParsableString();
        oracle.SubscribeToSiloStatusEvents(this);
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        // Only after the silo has stopped: its last transitions (ShuttingDown, Dead) come during the stop. Orleans tells
        // its listeners asynchronously, so the final Dead (written a stage earlier) may not have been told yet: the
        // oracle's own status says it, once.
        SiloStatusChangeNotification(local.SiloAddress, oracle.CurrentStatus);
        oracle.UnSubscribeFromSiloStatusEvents(this);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} ({Node}): membership status {Previous} -> {Status}")]
    private partial void LogOwnStatus(SiloStatus previous, SiloStatus status, string silo, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} ({Node}) is Dead")]
    private partial void LogOtherDead(string silo, string node);
}
