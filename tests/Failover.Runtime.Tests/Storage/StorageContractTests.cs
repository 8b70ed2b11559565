using Failover.Storage.Grains;
using Failover.Storage.Membership;
using Failover.Storage;

namespace Failover.Storage.Tests.Storage;

/// <summary>
/// The storage contract every provider must meet, run once per provider by a concrete subclass. Each test gets a
/// fresh, empty database (schema not applied) and its own cluster and service ids.
/// </summary>
public abstract partial class StorageContractTests : IAsyncLifetime
{
    protected static readonly CancellationToken None = CancellationToken.None;

    private IClusterDatabase? database;

    protected string ClusterId { get; } = $"cluster-{Guid.NewGuid():N}";

    protected string ServiceId { get; } = $"service-{Guid.NewGuid():N}";

    protected IClusterDatabase Database => database ?? throw new InvalidOperationException("The test database is not open.");

    protected abstract DatabaseKind Kind { get; }

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
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        await DropDatabaseAsync();
    }

    protected static SiloAddress Silo(int n) => new($"10.0.{n / 250}.{(n % 250) + 1}", 11111, 100_000 + n);

    protected static MembershipEntry Entry(SiloAddress address, SiloStatus status = SiloStatus.Active) => new()
    {
        Address = address,
        SiloName = $"silo-{address.Generation}",
        HostName = $"host-{address.Host}",
        Status = status,
        ProxyPort = 30000,
        StartTime = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
        IAmAliveTime = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc),
    };

    protected static GrainId Grain(string key) => new("contract", key);

    protected async Task<IMembershipTable> ReadyMembershipAsync(IClusterDatabase? on = null)
    {
        await Database.ApplySchemaAsync(None);
        var table = (on ?? Database).CreateMembershipTable(ClusterId);
        await table.InitializeAsync(None);
        return table;
    }

    /// <summary>Inserts as a silo does: read the version, try the CAS, re-read and retry while it loses.</summary>
    protected static async Task InsertWithRetryAsync(IMembershipTable table, MembershipEntry entry)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var snapshot = await table.ReadAllAsync(None);
            if (await table.InsertRowAsync(entry, snapshot.Version, None))
            {
                return;
            }
        }

        Assert.Fail($"Inserting {entry.Address} lost the CAS 1000 times in a row.");
    }

    protected static async Task SetStatusWithRetryAsync(IMembershipTable table, SiloAddress address, SiloStatus status)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var snapshot = await table.ReadAllAsync(None);
            var row = snapshot.Find(address) ?? throw new InvalidOperationException($"{address} has no membership row.");
            if (await table.UpdateRowAsync(row with { Status = status }, snapshot.Version, None))
            {
                return;
            }
        }

        Assert.Fail($"Updating {address} lost the CAS 1000 times in a row.");
    }
}
