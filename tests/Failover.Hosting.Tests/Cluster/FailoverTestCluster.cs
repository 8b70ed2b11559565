using System.Collections.Concurrent;
using Failover.Storage;
using Failover.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Failover.Hosting.Tests.Cluster;

/// <summary>
/// Silos of a Failover cluster on Orleans.TestingHost, in this process over its in-memory transport: every silo is
/// <c>AddFailoverCluster</c> on one temporary SQLite file with the schema applied, so Orleans' official ADO.NET clustering
/// writes the membership rows the fenced directory's claim reads (an owner is gone when its row is Dead or missing).
/// </summary>
/// <remarks>
/// <see cref="InProcessTestCluster"/> cannot host these silos: it always registers its in-memory membership table after
/// every silo configuration delegate (its option to turn that off is internal in 10.4.2), so no membership row would ever
/// reach the database and every claim would see its owner gone. The <see cref="TestClusterBuilder"/> has that option
/// public (<see cref="TestClusterOptions.UseTestClusterMembership"/>); its silos are configured by type
/// (<see cref="FailoverSiloConfigurator"/>), which reads the per-test values from the cluster's configuration.
/// </remarks>
public sealed class FailoverTestCluster : IAsyncDisposable
{
    /// <summary>The configuration section whose keys become the silos' Failover configuration (Lease:Timeout, …).</summary>
    public const string Section = "FailoverTest";

    /// <summary>The key naming this cluster's extra silo configuration in <see cref="s_extras"/>.</summary>
    public const string ExtrasKey = "FailoverTestExtras";

    private static readonly ConcurrentDictionary<string, Action<ISiloBuilder>> s_extras = new();

    /// <summary>Tolerant of a loaded 2-core machine: nobody is declared Dead, and no lease lapses, for want of CPU.</summary>
    private static readonly Dictionary<string, string?> s_defaults = new()
    {
        ["Lease:RenewPeriod"] = "00:00:00.250",
        ["Lease:Timeout"] = "00:00:05",
        ["Membership:ProbeTimeout"] = "00:00:03",
        ["Membership:MinProbeTimeout"] = "00:00:03",
        ["Membership:MaxProbeTimeout"] = "00:00:06",
        ["Membership:NumMissedProbesLimit"] = "3",
        ["Membership:IAmAliveTablePublishTimeout"] = "00:00:03",
        ["Messaging:ResponseTimeout"] = "00:00:30",
    };

    private readonly string _directory;
    private readonly string _id;

    private FailoverTestCluster(TestCluster cluster, DatabaseLocation database, string directory, string id)
    {
        Cluster = cluster;
        Database = database;
        _directory = directory;
        _id = id;
    }

    public TestCluster Cluster { get; }

    public DatabaseLocation Database { get; }

    public string ClusterId => Cluster.Options.ClusterId;

    public string ServiceId => Cluster.Options.ServiceId;

    public IReadOnlyList<SiloHandle> Silos => Cluster.Silos;

    /// <summary>
    /// Starts <paramref name="silos"/> silos and waits until each sees all of them Active. <paramref name="settings"/>
    /// override the Failover configuration keys; <paramref name="configureSilo"/> runs on every silo before
    /// <c>AddFailoverCluster</c> (so its registrations win over the ones that are only tried).
    /// </summary>
    public static async Task<FailoverTestCluster> StartAsync(
        short silos, IReadOnlyDictionary<string, string?>? settings = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("failover-hosting-").FullName;
        var database = DatabaseLocation.Parse($"sqlite:{Path.Combine(directory, "cluster.db")}");
        await using (var schema = ClusterDatabase.Open(database))
        {
            await schema.ApplySchemaAsync(CancellationToken.None);
        }

        var id = Guid.NewGuid().ToString("N");
        s_extras[id] = configureSilo ?? (_ => { });
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.InitializeClientOnDeploy = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ExtrasKey] = id;
        builder.Properties[$"{Section}:Database"] = database.ToString();
        foreach (var (key, value) in s_defaults.Concat(settings ?? new Dictionary<string, string?>()))
        {
            builder.Properties[$"{Section}:{key}"] = value;
        }

        builder.AddSiloBuilderConfigurator<FailoverSiloConfigurator>();
        var cluster = new FailoverTestCluster(builder.Build(), database, directory, id);
        try
        {
            await cluster.Cluster.DeployAsync();
            await cluster.WaitUntilAllSeeEachOtherActiveAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    internal static Action<ISiloBuilder> ExtrasOf(string id) =>
        s_extras.TryGetValue(id, out var extras) ? extras : throw new InvalidOperationException($"No test cluster {id} is starting.");

    public IServiceProvider Services(SiloHandle silo) => Cluster.GetSiloServiceProvider(silo.SiloAddress);

    /// <summary>The grain factory of <paramref name="silo"/>: calls made from it are routed and placed by that silo.</summary>
    public IGrainFactory Grains(SiloHandle silo) => Services(silo).GetRequiredService<IGrainFactory>();

    public SiloHandle Silo(SiloAddress address) =>
        Silos.SingleOrDefault(s => s.SiloAddress.Equals(address)) ?? throw new InvalidOperationException($"No running silo is {address}.");

    /// <summary>Opens the cluster's database for the test's own reads and writes (the caller disposes it).</summary>
    public IClusterDatabase OpenDatabase() => ClusterDatabase.Open(Database);

    public Task WaitUntilAllSeeEachOtherActiveAsync() =>
        Eventually.True(
            () => Silos.All(silo =>
            {
                var snapshot = Services(silo).GetRequiredService<IClusterMembershipService>().CurrentSnapshot;
                return Silos.All(other => snapshot.GetSiloStatus(other.SiloAddress) == SiloStatus.Active);
            }),
            $"each of the {Silos.Count} silos sees all of them Active");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
        finally
        {
            s_extras.TryRemove(_id, out _);
            SqliteConnection.ClearAllPools();
            try
            {
                System.IO.Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open is cleaned with the temporary directory by the OS.
            }
        }
    }
}
