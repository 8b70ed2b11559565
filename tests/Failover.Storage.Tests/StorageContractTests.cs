using System.Net;
using Failover.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Failover.Storage.Tests;

/// <summary>
/// The contract of our own storage (records, events, the fenced directory and state, reading the membership table,
/// the schema) that every database must meet, run once per database by a concrete subclass. Each test gets a fresh,
/// empty database (schema not applied) and its own cluster and service ids. Membership rows are written as a silo
/// writes them: by Orleans' official ADO.NET clustering provider.
/// </summary>
public abstract partial class StorageContractTests : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;

    private readonly List<IHost> hosts = [];
    private IClusterDatabase? database;

    protected string ClusterId { get; } = $"cluster-{Guid.NewGuid():N}";

    protected string ServiceId { get; } = $"service-{Guid.NewGuid():N}";

    protected IClusterDatabase Database => database ?? throw new InvalidOperationException("The test database is not open.");

    protected abstract DatabaseKind Kind { get; }

    /// <summary>The invariant Orleans' ADO.NET providers are configured with for this database.</summary>
    protected abstract string Invariant { get; }

    /// <summary>The connection string Orleans' ADO.NET providers use for the test database.</summary>
    protected abstract string ProviderConnectionString { get; }

    /// <summary>Creates a fresh, empty database and opens it.</summary>
    protected abstract Task<IClusterDatabase> CreateDatabaseAsync();

    /// <summary>Opens another, independent instance on the same database (as a second silo process would).</summary>
    protected abstract IClusterDatabase OpenAnotherInstance();

    /// <summary>Runs raw SQL on the test database, bypassing the provider.</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>Removes the test database.</summary>
    protected abstract Task DropDatabaseAsync();

    public async Task InitializeAsync() => database = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    protected static SiloAddress Silo(int n) => SiloAddress.New(IPAddress.Parse($"10.0.{n / 250}.{(n % 250) + 1}"), 11111, 100_000 + n);

    protected static MembershipEntry Entry(SiloAddress address, SiloStatus status = SiloStatus.Active) => new()
    {
        SiloAddress = address,
        SiloName = $"silo-{address.Generation}",
        HostName = $"host-{address.Endpoint.Address}",
        Status = status,
        ProxyPort = 30000,
        StartTime = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
        IAmAliveTime = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
    };

    protected static GrainId Grain(string key) => GrainId.Create("contract", key);

    /// <summary>A new activation of <paramref name="grain"/> on <paramref name="silo"/>.</summary>
    protected static GrainAddress Activation(GrainId grain, SiloAddress silo) => Address(grain, silo, ActivationId.NewId());

    protected static GrainAddress Address(GrainId grain, SiloAddress silo, ActivationId activation) =>
        new() { GrainId = grain, SiloAddress = silo, ActivationId = activation };

    /// <summary>Applies the schema and returns Orleans' membership table of the test cluster, initialized as a silo does.</summary>
    protected async Task<IMembershipTable> ReadyMembershipAsync(string? clusterId = null)
    {
        await Database.ApplySchemaAsync(None);
        return await OrleansMembershipAsync(clusterId);
    }

    /// <summary>
    /// Orleans' ADO.NET clustering table of <paramref name="clusterId"/> (default: the test's), from a silo host that is
    /// built but never started, initialized as a silo does (creating the version row).
    /// </summary>
    protected async Task<IMembershipTable> OrleansMembershipAsync(string? clusterId = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId ?? ClusterId;
                o.ServiceId = ServiceId;
            });
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = ProviderConnectionString;
            });
        });
        var host = builder.Build();
        hosts.Add(host);
        var table = host.Services.GetRequiredService<IMembershipTable>();
        await table.InitializeMembershipTableAsync(true, None);
        return table;
    }

    /// <summary>Inserts as a silo does: read the version, try the CAS with the next one, re-read and retry while it loses.</summary>
    protected static async Task InsertWithRetryAsync(IMembershipTable table, MembershipEntry entry)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var snapshot = await table.ReadAllAsync(None);
            if (await table.InsertRowAsync(entry, snapshot.Version.Next(), None))
            {
                return;
            }
        }

        Assert.Fail($"Inserting {entry.SiloAddress} lost the CAS 1000 times in a row.");
    }

    /// <summary>Updates as a silo does: read the row and the version, change it, CAS; retried while it loses.</summary>
    protected static async Task UpdateWithRetryAsync(IMembershipTable table, SiloAddress address, Action<MembershipEntry> change)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var snapshot = await table.ReadAllAsync(None);
            var (row, etag) = snapshot.Members.SingleOrDefault(m => m.Item1.SiloAddress.Equals(address))
                ?? throw new InvalidOperationException($"{address} has no membership row.");
            change(row);
            if (await table.UpdateRowAsync(row, etag, snapshot.Version.Next(), None))
            {
                return;
            }
        }

        Assert.Fail($"Updating {address} lost the CAS 1000 times in a row.");
    }

    protected static Task SetStatusWithRetryAsync(IMembershipTable table, SiloAddress address, SiloStatus status) =>
        UpdateWithRetryAsync(table, address, row => row.Status = status);
}
