using System.Reflection;
using Hangfire;
using Hangfire.PostgreSql;

namespace Failover.Benchmarks.Peers.Hangfire;

/// <summary>
/// The two configurations of the Hangfire peer: <c>defaults</c> (Hangfire.Core's and Hangfire.PostgreSql's own values)
/// and <c>tuned</c> (the options both packages offer to pick jobs up sooner and to hand a crashed server's jobs on
/// sooner), and the <c>key = value</c> lines that describe a run.
/// </summary>
internal static class HangfireConfiguration
{
    public static PostgreSqlStorageOptions StorageOptions(bool tuned)
    {
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
        if (tuned)
        {
            // Enqueue sends NOTIFY new_job and a dequeuing worker LISTENs, so a new job need not wait for the poll
            // (PostgreSqlJobQueue.Enqueue/Dequeue, PostgreSQL 11 or later).
            options.EnableLongPolling = true;

            // Still what a job whose invisibility lapsed (its node crashed) waits to be seen: no notification is sent for it.
            options.QueuePollInterval = TimeSpan.FromSeconds(1);

            // A running job's jobqueue.fetchedat is renewed every InvisibilityTimeout / 5 (PostgreSqlFetchedJob, checked
            // every second by the storage's heartbeat process), so a crashed node's job is fetched again 12-15 s after it
            // died, with no risk of a second run of a live 10 minute job.
            options.UseSlidingInvisibilityTimeout = true;
            options.InvisibilityTimeout = TimeSpan.FromSeconds(15);

            // A node killed while it changed a job's state leaves the job's state-lock row (hangfire.lock) behind; the
            // next worker removes it only once it is DistributedLockTimeout old (PostgreSqlDistributedLock), so the
            // default 10 minutes held a recovered job back that long. The storage's locks are held for milliseconds.
            options.DistributedLockTimeout = TimeSpan.FromSeconds(15);
        }

        return options;
    }

    public static BackgroundJobServerOptions ServerOptions(string node, bool tuned)
    {
        var options = new BackgroundJobServerOptions { ServerName = node };
        if (tuned)
        {
            // Only how soon a dead server leaves the servers list (ServerWatchdog): Hangfire.PostgreSql recovers its
            // jobs through the invisibility timeout alone.
            options.HeartbeatInterval = TimeSpan.FromSeconds(5);
            options.ServerCheckInterval = TimeSpan.FromSeconds(5);
            options.ServerTimeout = TimeSpan.FromSeconds(15);
        }

        return options;
    }

    public static string Versions =>
        $"Hangfire {VersionOf(typeof(BackgroundJob))} (Hangfire.PostgreSql {VersionOf(typeof(PostgreSqlStorage))})";

    public static IReadOnlyList<string> Settings(bool tuned)
    {
        var storage = StorageOptions(tuned);
        var server = ServerOptions("node-a", tuned);
        return
        [
            $"packages = Hangfire.Core {VersionOf(typeof(BackgroundJob))}, Hangfire.PostgreSql {VersionOf(typeof(PostgreSqlStorage))}, Npgsql {VersionOf(typeof(Npgsql.NpgsqlConnection))}",
            "nodes = 3 processes, one BackgroundJobServer each, ServerName = node-a, node-b, node-c",
            "serializer = SetDataCompatibilityLevel(Version_180), UseSimpleAssemblyNameTypeSerializer, UseRecommendedSerializerSettings",
            $"storage = UsePostgreSqlStorage(UseNpgsqlConnection), PrepareSchemaIfNecessary = {storage.PrepareSchemaIfNecessary}, SchemaName = {storage.SchemaName}, UseNativeDatabaseTransactions = {storage.UseNativeDatabaseTransactions}",
            $"WorkerCount = {server.WorkerCount} per node (Hangfire's default: min(5 x {Environment.ProcessorCount} cores, 20))",
            $"Queues = {string.Join(", ", server.Queues)}",
            $"EnableLongPolling = {storage.EnableLongPolling}{(tuned ? " (LISTEN/NOTIFY new_job)" : " (default)")}",
            $"QueuePollInterval = {storage.QueuePollInterval}{(tuned ? "" : " (default)")}",
            $"InvisibilityTimeout = {storage.InvisibilityTimeout}{(tuned ? "" : " (default)")}",
            $"UseSlidingInvisibilityTimeout = {storage.UseSlidingInvisibilityTimeout}{(tuned ? " (fetchedat renewed every InvisibilityTimeout / 5)" : " (default)")}",
            $"DistributedLockTimeout = {storage.DistributedLockTimeout}{(tuned ? " (a dead node's job state-lock is removed after it)" : " (default: a dead node's job state-lock holds its job back that long)")}",
            $"HeartbeatInterval = {server.HeartbeatInterval}, ServerCheckInterval = {server.ServerCheckInterval}, ServerTimeout = {server.ServerTimeout}{(tuned ? "" : " (defaults)")}: they prune the servers list only, job recovery is the invisibility timeout's",
            $"ShutdownTimeout = {server.ShutdownTimeout}, SchedulePollingInterval = {server.SchedulePollingInterval} (defaults)",
            "retries = [AutomaticRetry(Attempts = 0)] on the job: a job that throws goes to Failed (reported), never re-run; a crash is recovered by the invisibility timeout, not by retries",
            tuned
                ? "crash recovery = a dead node's job is fetched again InvisibilityTimeout after its last keep-alive, at the next poll"
                : "crash recovery = a dead node's job is fetched again InvisibilityTimeout after it was fetched (30 min), at the next poll",
            "submit = BackgroundJobClient.Enqueue of HangfireJob.RunAsync(jobId, kind) from the driver, each on a thread of its own (Hangfire's client is synchronous); driver pool = Npgsql's default Maximum Pool Size 100",
        ];
    }

    private static string VersionOf(Type type)
    {
        var version = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? type.Assembly.GetName().Version?.ToString()
            ?? "?";
        var metadata = version.IndexOf('+', StringComparison.Ordinal);
        version = metadata < 0 ? version : version[..metadata];

        // Hangfire.Core's informational version has four parts (1.8.25.0); its package version has three.
        return version.Count(c => c == '.') == 3 && version.EndsWith(".0", StringComparison.Ordinal) ? version[..^2] : version;
    }
}
