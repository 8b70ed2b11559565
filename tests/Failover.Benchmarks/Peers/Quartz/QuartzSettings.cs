using Npgsql;
using Quartz;

namespace Failover.Benchmarks.Peers.Quartz;

/// <summary>
/// How every Quartz scheduler of the comparison is configured, the nodes and the driver's client alike: one
/// clustered AdoJobStore on PostgreSQL, and the values <c>defaults</c> leaves to Quartz and <c>tuned</c> sets.
/// </summary>
internal sealed record QuartzSettings(bool Tuned, string SchedulerName)
{
    public const string Version = "4.7.3";

    /// <summary>
    /// Every node of a cluster shares one scheduler name (docs: configuration/reference, "Clustering"): the
    /// database's, which the nodes read from their connection string, so that two systems in one driver process
    /// (whose scheduler names must differ) never meet.
    /// </summary>
    public static QuartzSettings For(string configuration, string connectionString) =>
        new(configuration == PeerNodeArguments.Tuned, new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("the Quartz database's connection string names no database"));

    // Quartz 4.7.3's defaults (QuartzSchedulerOptions, ThreadPoolOptions, ClusteringOptions); tuned values:
    // - the check-in pair decides how soon a dead node's jobs are recovered: a peer recovers them once
    //   lastCheckin + max(CheckinInterval, its own time since check-in) + CheckinMisfireThreshold has passed
    //   (AdoJobStoreBase.CalcFailedIfAfter), i.e. about 15 to 22.5 s at 7.5 s + 7.5 s, about 3 to 4 s at 1 s + 2 s;
    // - IdleWaitTime is how long an idle node waits before looking for new triggers: nothing tells a node about a
    //   trigger another process (the driver's client) stored, so it bounds the submit-to-start latency;
    //   1 s is the least QuartzSchedulerOptionsValidator accepts;
    // - MaxConcurrency: more jobs at once per node; MaxBatchSize left automatic (the thread pool's size on a
    //   persistent store, which must not exceed it);
    // - LockOnInsert off: storing a job no longer takes the cluster-wide TRIGGER_ACCESS row lock, so concurrent
    //   submitters and the nodes' acquisition rounds stop queuing behind one another.
    public TimeSpan CheckinInterval => Tuned ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(7500);

    public TimeSpan CheckinMisfireThreshold => Tuned ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(7500);

    public TimeSpan IdleWaitTime => Tuned ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(30);

    public int MaxConcurrency => Tuned ? 50 : ThreadPoolOptions.DefaultMaxConcurrency;

    public bool LockOnInsert => !Tuned;

    /// <summary>A node: runs jobs with <see cref="MaxConcurrency"/> of them at once.</summary>
    public void ConfigureNode(IQuartzBuilder quartz, string connectionString)
    {
        ConfigureScheduler(quartz);
        quartz.UseDefaultThreadPool(MaxConcurrency);
        quartz.UsePersistentStore(store => ConfigureStore(store, connectionString));
    }

    /// <summary>
    /// The driver's submitter: a scheduler on the same store that is never started, with Quartz's pool of no
    /// threads for "a scheduler that only exists to schedule jobs" (Quartz.Impl.ZeroSizeThreadPool). It also
    /// creates the schema the nodes then only validate.
    /// </summary>
    public void ConfigureClient(IQuartzBuilder quartz, string connectionString)
    {
        ConfigureScheduler(quartz);
        quartz.UseThreadPool<global::Quartz.Impl.ZeroSizeThreadPool>();
        quartz.UsePersistentStore(store =>
        {
            ConfigureStore(store, connectionString);
            store.ProvisionSchema();
        });
    }

    /// <summary>The <see cref="IPeerSystem.Settings"/> lines: the Quartz version and every value that matters here.</summary>
    public IReadOnlyList<string> Describe() =>
    [
        $"system = Quartz.NET {Version}",
        "job store = AdoJobStore (LocalTransactionJobStore), PostgreSQLDelegate (UsePostgres), Npgsql, default Npgsql pool (Max Pool Size 100 per process)",
        $"clustered = true (UseClustering), instanceId = AUTO (generated), instanceName = the database name, on every node",
        "serializer = System.Text.Json (UseSystemTextJsonSerializer)",
        "schema = created by Quartz itself: the submitter's store has SchemaProvisioning.CreateIfMissing (ProvisionSchema), nodes keep Validate",
        $"threadPool.maxConcurrency = {MaxConcurrency}{Default(!Tuned)}",
        "scheduler.maxBatchSize = 0 = automatic: the thread pool's size on a persistent store (default)",
        $"scheduler.idleWaitTime = {IdleWaitTime.TotalSeconds:0.###} s{Default(!Tuned)}",
        $"jobStore.clustering.checkinInterval = {CheckinInterval.TotalSeconds:0.###} s{Default(!Tuned)}",
        $"jobStore.clustering.checkinMisfireThreshold = {CheckinMisfireThreshold.TotalSeconds:0.###} s{Default(!Tuned)}",
        $"jobStore.lockOnInsert = {(LockOnInsert ? "true" : "false")}{Default(LockOnInsert)}",
        "jobStore.acquireTriggersWithinLock = false, lockFreeFiringRounds = true (default: a round takes the TRIGGER_ACCESS lock only when it needs it)",
        "jobStore.misfireThreshold = 60 s, maxTransientRetries = 3, transientRetryInterval = 1 s (default: deadlocks and SQLSTATE 40xxx are retried)",
        "jobs = durable, RequestsRecovery = true (a job running on a node that dies is run again), one SimpleTrigger StartNow without repeat",
        "submitter = a scheduler of the same store in the driver process, ZeroSizeThreadPool, never started; ScheduleJob(job, trigger)",
        "node shutdown = Shutdown(waitForJobsToComplete: true), shutdownJobInterruption = WhenWaitingForJobs (set: running jobs are cancelled on SIGTERM)",
    ];

    private static string Default(bool isDefault) => isDefault ? " (default)" : " (tuned)";

    private void ConfigureScheduler(IQuartzBuilder quartz) => quartz.ConfigureScheduler(options =>
    {
        options.InstanceName = SchedulerName;
        options.GenerateInstanceId = true;
        options.IdleWaitTime = IdleWaitTime;
        options.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs;
    });

    private void ConfigureStore(IPersistentStoreBuilder store, string connectionString)
    {
        store.UsePostgres(connectionString);
        store.UseSystemTextJsonSerializer();
        store.UseClustering(cluster =>
        {
            cluster.CheckinInterval = CheckinInterval;
            cluster.CheckinMisfireThreshold = CheckinMisfireThreshold;
        });
        store.ConfigureStore(options => options.LockOnInsert = LockOnInsert);
    }
}
