using Failover.Storage.Membership;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Failover.Hosting.Membership;

/// <summary>
/// Before a joining silo checks that it can reach every Active silo (Orleans refuses to join otherwise), declares Dead
/// the Active rows whose lease ran out long ago on the database clock: after a whole cluster crashed, nobody is left to
/// vote them out, and the restarted silos would wait for them forever. Every silo of ours renews its lease (its
/// IAmAliveTime) four times a second and stops acting a second after its last renewal, so a row older than Orleans'
/// allowed IAmAlive miss period (<c>IAmAliveTablePublishTimeout × NumMissedTableIAmAliveLimit</c>, 3 s here) belongs to a
/// silo that is gone or holds still; if it ever resumes, its next renewal finds its row Dead and it exits.
/// </summary>
internal sealed partial class StaleSiloReaper(
    IMembershipRows rows,
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    IOptions<ClusterMembershipOptions> options,
    ILogger<StaleSiloReaper> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StaleSiloReaper), ServiceLifecycleStage.ValidateInitialConnectivity - 1, ReapAsync);

    private async Task ReapAsync(CancellationToken cancellationToken)
    {
        var allowedMiss = options.Value.IAmAliveTablePublishTimeout * options.Value.NumMissedTableIAmAliveLimit;
        var table = await rows.ReadAllAsync(cancellationToken);
        foreach (var row in table.Entries)
        {
            var silent = table.DatabaseTime - row.IAmAliveTime;
            if (row.Status != SiloStatus.Active || row.Address.Equals(local.SiloAddress) || silent <= allowedMiss)
            {
                continue;
            }

            var declared = await membership.TryKill(row.Address);
            LogReaped(row.Address.ToParsableString(), row.SiloName, silent.TotalMilliseconds, declared);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} ({Node}) has not renewed its lease for {SilentMs:0} ms: declared Dead before joining ({Declared})")]
    private partial void LogReaped(string silo, string node, double silentMs, bool declared);
}
