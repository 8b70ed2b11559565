using Failover.Runtime.Membership;
using Failover.Runtime.Storage;
using Failover.Runtime.Tests.Infrastructure;
using Failover.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Runtime.Tests.Cluster;

/// <summary>A fresh in-process cluster on its own SQLite file per test.</summary>
public abstract class ClusterTestBase : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    protected TestCluster Cluster { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Reminders:MinimumReminderPeriod"] = "00:00:00.050",
        ["Reminders:RefreshPeriod"] = "00:00:00.500",
    };

    public Task InitializeAsync()
    {
        Cluster = new TestCluster(new TestClusterOptions
        {
            Database = _database.Setting,
            Settings = Settings,
            GrainAssemblies = [typeof(ClusterTestBase).Assembly],
            ConfigureServices = services => services.AddSingleton<GrainEventLog>(),
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _database.Dispose();
    }

    protected async Task<MembershipSnapshot> ReadMembershipAsync()
    {
        await using var database = ClusterDatabase.Open(_database.Location);
        return await database.CreateMembershipTable(Cluster.Options.ClusterId).ReadAllAsync(CancellationToken.None);
    }

    protected async Task WaitUntilDeadAsync(SiloAddress silo) =>
        await Eventually.True(async () => (await ReadMembershipAsync()).Find(silo)?.Status == SiloStatus.Dead, $"{silo} is Dead in the table");

    protected Task<IReadOnlyList<InProcessSilo>> StartSilosAsync(params string[] names) => StartAllAsync(names);

    private async Task<IReadOnlyList<InProcessSilo>> StartAllAsync(string[] names)
    {
        var silos = new List<InProcessSilo>();
        foreach (var name in names)
        {
            silos.Add(await Cluster.StartSiloAsync(name));
        }

        return silos;
    }
}
