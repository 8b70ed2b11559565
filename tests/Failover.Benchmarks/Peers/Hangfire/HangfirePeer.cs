namespace Failover.Benchmarks.Peers.Hangfire;

/// <summary>The Hangfire system of the peers suite (a <see cref="PeerSystemFactory"/>).</summary>
internal static class HangfirePeer
{
    public const string System = "hangfire";

    public static async Task<IPeerSystem> CreateAsync(PeerContext context, CancellationToken cancellationToken)
    {
        var database = await PeerDatabase.CreateAsync(context.ServerConnectionString, System, cancellationToken);
        try
        {
            var tuned = context.Configuration == PeerNodeArguments.Tuned;

            // The driver's storage creates the schema, before any node starts: PrepareSchemaIfNecessary in three
            // processes at once would race on an empty database.
            var storage = await Task.Run(() => HangfireStorage.Create(database.ConnectionString, tuned), cancellationToken);
            var runs = new RunLog(Path.Combine(context.WorkDirectory.FullName, $"{System}-{context.Configuration}-runs"));
            context.Progress.WriteLine($"  {HangfireConfiguration.Versions}, {context.Configuration}: database {database.Name}, run log {runs.Directory}");
            return new HangfireSystem(context.Configuration, tuned, database, storage, runs);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }
}
