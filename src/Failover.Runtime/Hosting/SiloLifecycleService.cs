using Failover.Runtime.Activation;
using Failover.Runtime.Directory;
using Failover.Runtime.Membership;
using Failover.Runtime.Reminders;
using Failover.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Hosting;

/// <summary>
/// Starts and stops the silo's parts in order. Start: database reachable and schema applied before anything
/// listens; the membership row is written only once every hosted service (the endpoint included) has started.
/// Stop: ShuttingDown first, so the cluster knows; then reminders, grains and directory entries; Dead last.
/// </summary>
internal sealed partial class SiloLifecycleService(
    IClusterDatabase database,
    MembershipAgent membership,
    ReminderService reminders,
    ActivationCollector collector,
    DefunctRowCleaner cleaner,
    Catalog catalog,
    IGrainDirectoryTable directory,
    LocalSilo silo,
    ILogger<SiloLifecycleService> logger) : IHostedLifecycleService
{
    private bool _joined;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await database.CheckConnectionAsync(cancellationToken);
        var schema = await database.ApplySchemaAsync(cancellationToken);
        LogSchema(database.Location, schema.VersionBefore, schema.VersionAfter);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        _joined = true;
        await membership.JoinAsync(cancellationToken);
        await reminders.StartAsync(cancellationToken);
        collector.Start();
        await membership.BecomeActiveAsync(cancellationToken);
        cleaner.Start();
        LogStarted(silo.Address, silo.NodeName, silo.ClusterId);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (!_joined)
        {
            return;
        }

        if (membership.Status is SiloStatus.Joining or SiloStatus.Active)
        {
            await membership.BeginShutdownAsync(cancellationToken);
        }

        await cleaner.StopAsync();
        await reminders.StopAsync();
        await collector.StopAsync();
        await catalog.DeactivateAllAsync(cancellationToken);
        await directory.ReleaseAllAsync(silo.Address, cancellationToken);
        await membership.LeaveAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// What a process crash leaves behind, for in-process tests: nothing renews, probes, fires or runs any more, and
    /// nothing is written — the row stays as it was and the directory entries stay claimed, for others to detect.
    /// </summary>
    internal async Task SimulateCrashAsync()
    {
        _joined = false;
        await catalog.AbandonAllAsync();
        await membership.AbandonAsync();
        await cleaner.StopAsync();
        await reminders.StopAsync();
        await collector.StopAsync();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database}: schema version {VersionBefore} -> {VersionAfter}")]
    private partial void LogSchema(DatabaseLocation database, int versionBefore, int versionAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloAddress} (node {Node}) is up in cluster {ClusterId}")]
    private partial void LogStarted(SiloAddress siloAddress, string node, string clusterId);
}
