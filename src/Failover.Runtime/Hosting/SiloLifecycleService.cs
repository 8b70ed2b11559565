using Failover.Runtime.Activation;
using System.Net;
using Failover.Runtime.Directory;
using Failover.Runtime.Messaging;
using Failover.Runtime.Membership;
using Failover.Runtime.Membership.Protocol;
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
    MembershipProtocolLoop protocol,
    ReminderService reminders,
    ActivationCollector collector,
    DefunctRowCleaner cleaner,
    Catalog catalog,
    IGrainDirectoryTable directory,
    SiloTransport transport,
    MembershipView view,
    LocalSilo silo,
    ILogger<SiloLifecycleService> logger) : IHostedLifecycleService
{
    private bool _joined;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await database.CheckConnectionAsync(cancellationToken);
        var schema = await database.ApplySchemaAsync(cancellationToken);
        LogSchema(database.Location, schema.VersionBefore, schema.VersionAfter);

        // Bound before the silo joins: a port in use must fail the start before any row is written.
        var address = IPAddress.TryParse(silo.Address.Host, out var ip) ? ip : IPAddress.Any;
        await transport.StartAsync(new IPEndPoint(address, silo.Address.Port), cancellationToken);
        view.Changed += DisconnectFromDeadSilos;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        _joined = true;
        await membership.JoinAsync(cancellationToken);
        await protocol.RefreshNowAsync(cancellationToken);
        protocol.Start();
        await reminders.StartAsync(cancellationToken);
        collector.Start();
        await membership.BecomeActiveAsync(cancellationToken);
        await protocol.RefreshNowAsync(cancellationToken);
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
        await protocol.StopAsync();
        await membership.LeaveAsync(cancellationToken);
        await transport.StopAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops acting without writing anything: nothing renews, probes, fires or runs any more; the row and the directory
    /// entries stay as they are, for the others to detect and take over. What a crash leaves behind (in-process
    /// tests), and what a silo that finds itself Dead does before it exits.
    /// </summary>
    internal async Task AbandonAsync()
    {
        _joined = false;
        await catalog.AbandonAllAsync();
        await membership.AbandonAsync();
        await protocol.StopAsync();
        await transport.StopAsync(CancellationToken.None);
        await cleaner.StopAsync();
        await reminders.StopAsync();
        await collector.StopAsync();
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Calls pending on a silo that was declared Dead fail at once instead of waiting for their deadline.
    private void DisconnectFromDeadSilos(MembershipSnapshot snapshot)
    {
        foreach (var entry in snapshot.Entries.Where(e => e.Status == SiloStatus.Dead && e.Address != silo.Address))
        {
            transport.DisconnectFrom(entry.Address);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database}: schema version {VersionBefore} -> {VersionAfter}")]
    private partial void LogSchema(DatabaseLocation database, int versionBefore, int versionAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloAddress} (node {Node}) is up in cluster {ClusterId}")]
    private partial void LogStarted(SiloAddress siloAddress, string node, string clusterId);
}
