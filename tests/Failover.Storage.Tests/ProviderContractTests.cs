using System.Net;
using Failover.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Runtime;
using Orleans.Storage;

namespace Failover.Storage.Tests;

/// <summary>
/// Orleans' official ADO.NET providers (clustering, reminders, grain storage) on our schema (sql/), run once per
/// database by a concrete subclass. Each test gets a fresh database with the schema applied and its own cluster and
/// service ids; the providers come from Orleans' own registrations (UseAdoNetClustering, UseAdoNetReminderService,
/// AddAdoNetGrainStorage) in a silo host that is built but never started, and are initialized as a silo would.
/// </summary>
public abstract partial class ProviderContractTests : IAsyncLifetime
{
    /// <summary>The name of the grain storage registered in every silo host.</summary>
    protected const string StorageName = "contract";

    /// <summary>The same storage with <see cref="AdoNetGrainStorageOptions.DeleteStateOnClear"/>.</summary>
    protected const string DeletingStorageName = "contract-delete";

    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A time with sub-millisecond ticks: stored, it keeps its milliseconds (both databases agree on them).</summary>
    protected static readonly DateTime T0 = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc).AddTicks(1234);

    private readonly List<IHost> hosts = [];
    private string? connectionString;

    protected string ClusterId { get; } = $"cluster-{Guid.NewGuid():N}";

    protected string ServiceId { get; } = $"service-{Guid.NewGuid():N}";

    /// <summary>The invariant name the providers are configured with.</summary>
    protected abstract string Invariant { get; }

    /// <summary>The connection string the providers use; set once the database exists.</summary>
    protected string ConnectionString => connectionString ?? throw new InvalidOperationException("The test database does not exist yet.");

    /// <summary>Creates a fresh, empty database; returns where our schema goes and the providers' connection string.</summary>
    protected abstract Task<(DatabaseLocation Location, string ProviderConnectionString)> CreateDatabaseAsync();

    /// <summary>Runs raw SQL on the test database, bypassing the providers.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>Runs a scalar query on the test database.</summary>
    protected abstract Task<object?> QueryScalarAsync(string sql);

    /// <summary>Removes the test database.</summary>
    protected abstract Task DropDatabaseAsync();

    protected abstract DatabaseKind Kind { get; }

    public async Task InitializeAsync()
    {
        var (location, providerConnectionString) = await CreateDatabaseAsync();
        await using (var database = ClusterDatabase.Open(location))
        {
            await database.ApplySchemaAsync(None);
        }

        connectionString = providerConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        await DropDatabaseAsync();
    }

    /// <summary>A silo host (built, not started) with the three providers on the test database.</summary>
    protected IHost BuildSilo(string? clusterId = null, string? serviceId = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId ?? ClusterId;
                o.ServiceId = serviceId ?? ServiceId;
            });
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ConnectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ConnectionString;
            });
            silo.AddAdoNetGrainStorage(StorageName, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ConnectionString;
            });
            silo.AddAdoNetGrainStorage(DeletingStorageName, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ConnectionString;
                o.DeleteStateOnClear = true;
            });
        });

        var host = builder.Build();
        hosts.Add(host);
        return host;
    }

    /// <summary>The silo's membership table, initialized as a silo does (creating the version row).</summary>
    protected async Task<IMembershipTable> MembershipAsync(string? clusterId = null)
    {
        var table = BuildSilo(clusterId).Services.GetRequiredService<IMembershipTable>();
        await table.InitializeMembershipTableAsync(true, None);
        return table;
    }

    /// <summary>The client's gateway list provider of the test cluster, initialized.</summary>
    protected async Task<IGatewayListProvider> GatewaysAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ConnectionString;
            });
        });

        var host = builder.Build();
        hosts.Add(host);
        var provider = host.Services.GetRequiredService<IGatewayListProvider>();
        await provider.InitializeGatewayListProviderAsync(None);
        return provider;
    }

    /// <summary>The silo's reminder table of <paramref name="serviceId"/> (default: the test's), started.</summary>
    protected async Task<IReminderTable> RemindersAsync(string? serviceId = null)
    {
        var table = BuildSilo(serviceId: serviceId).Services.GetRequiredService<IReminderTable>();
        await table.StartAsync(None);
        return table;
    }

    /// <summary>A grain storage of the silo, initialized through the silo lifecycle as a starting silo does.</summary>
    protected async Task<IGrainStorage> StorageAsync(string name = StorageName, IHost? silo = null)
    {
        var storage = (silo ?? BuildSilo()).Services.GetRequiredKeyedService<IGrainStorage>(name);
        var lifecycle = new SiloLifecycleSubject(NullLogger<SiloLifecycleSubject>.Instance);
        ((ILifecycleParticipant<ISiloLifecycle>)storage).Participate(lifecycle);
        await lifecycle.OnStart(None);
        return storage;
    }

    protected static SiloAddress Silo(int n) =>
        SiloAddress.New(IPAddress.Parse($"10.0.{n / 250}.{(n % 250) + 1}"), 11111, 100_000 + n);

    protected static MembershipEntry Entry(int n, SiloStatus status = SiloStatus.Active) => new()
    {
        SiloAddress = Silo(n),
        SiloName = $"silo-{n}",
        HostName = $"host-{n}",
        Status = status,
        ProxyPort = 30_000 + n,
        StartTime = T0,
        IAmAliveTime = T0,
    };

    /// <summary>What a stored time reads back as: UTC, to the millisecond.</summary>
    protected static DateTime Stored(DateTime value)
    {
        var utc = value.ToUniversalTime();
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    protected static void AssertStoredTime(DateTime expected, DateTime actual)
    {
        Assert.Equal(DateTimeKind.Utc, actual.Kind);
        Assert.Equal(Stored(expected), actual);
    }

    /// <summary>Inserts as a silo does: read the version, try the CAS with the next one, retry while it loses.</summary>
    protected static async Task InsertAsync(IMembershipTable table, MembershipEntry entry)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var snapshot = await table.ReadAllAsync(None);
            if (await table.InsertRowAsync(entry, snapshot.Version.Next(), None))
            {
                return;
            }
        }

        Assert.Fail($"Inserting {entry.SiloAddress} lost the CAS 100 times in a row.");
    }

    /// <summary>Updates as a silo does: read the row and the version, apply <paramref name="change"/>, CAS.</summary>
    protected static async Task UpdateAsync(IMembershipTable table, SiloAddress silo, Action<MembershipEntry> change)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var snapshot = await table.ReadAllAsync(None);
            var (entry, etag) = Row(snapshot, silo);
            change(entry);
            if (await table.UpdateRowAsync(entry, etag, snapshot.Version.Next(), None))
            {
                return;
            }
        }

        Assert.Fail($"Updating {silo} lost the CAS 100 times in a row.");
    }

    protected static (MembershipEntry Entry, string ETag) Row(MembershipTableData data, SiloAddress silo)
    {
        var row = data.Members.SingleOrDefault(m => m.Item1.SiloAddress.Equals(silo))
            ?? throw new InvalidOperationException($"{silo} has no membership row.");
        return (row.Item1, row.Item2);
    }

    protected static SiloAddress[] Silos(MembershipTableData data) =>
        [.. data.Members.Select(m => m.Item1.SiloAddress).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal)];

    /// <summary>Starts all <paramref name="calls"/> at once, each on its own thread, and waits for their results.</summary>
    protected static async Task<T[]> RaceAsync<T>(IEnumerable<Func<Task<T>>> calls)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = calls.Select(call => Task.Run(async () =>
        {
            await start.Task;
            return await call();
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(running);
    }
}
