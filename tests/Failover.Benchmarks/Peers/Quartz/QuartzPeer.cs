using Quartz;

namespace Failover.Benchmarks.Peers.Quartz;

/// <summary>
/// Quartz.NET in the peers suite (<see cref="PeerSystemFactory"/>): a database of its own, whose schema Quartz
/// creates through the driver's submitter before any node starts.
/// </summary>
internal static class QuartzPeer
{
    public const string System = "quartz";

    public static async Task<IPeerSystem> CreateAsync(PeerContext context, CancellationToken cancellationToken)
    {
        var database = await PeerDatabase.CreateAsync(context.ServerConnectionString, System, cancellationToken);
        try
        {
            var settings = QuartzSettings.For(context.Configuration, database.ConnectionString);
            var submitter = await QuartzSchedulerBuilder.Create(
                quartz => settings.ConfigureClient(quartz, database.ConnectionString)).BuildScheduler(cancellationToken);
            context.Progress.WriteLine($"  Quartz.NET {QuartzSettings.Version} ({context.Configuration}): database {database.Name}, schema created by Quartz");
            var runs = new RunLog(Path.Combine(context.WorkDirectory.FullName, $"{System}-{context.Configuration}-{database.Name}"));
            return new QuartzPeerSystem(settings, context.Configuration, database, submitter, runs);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }
}
