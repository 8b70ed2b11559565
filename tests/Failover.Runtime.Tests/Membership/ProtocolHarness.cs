using Failover.Testing;
using Failover.Runtime.Configuration;
using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;
using Failover.Runtime.Membership.Protocol;
using Failover.Runtime.Storage;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Failover.Runtime.Tests.MembershipProtocol;

/// <summary>
/// This silo joined and Active on a real SQLite membership table, its protocol loop driven round by round, and helpers
/// that play the other silos by writing their rows directly. Local time is manual; lease ages are on the database clock.
/// </summary>
internal sealed class ProtocolHarness : IAsyncDisposable
{
    public const string ClusterId = "protocol-test";

    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TempDatabase _file;
    private readonly IClusterDatabase _database;
    private readonly ServiceProvider _services;

    private ProtocolHarness(TempDatabase file, IClusterDatabase database, MembershipOptions options, Func<IMembershipTable, IMembershipTable>? wrapLoopTable)
    {
        _file = file;
        _database = database;
        Options = options;
        Table = database.CreateMembershipTable(ClusterId);
        Silo = new LocalSilo(
            MsOptions.Create(new SiloOptions { Node = "me", Host = "127.0.0.1", Port = 11111, ClusterId = ClusterId }),
            Time);
        _services = new ServiceCollection().AddSingleton<ISiloFatalHandler>(Fatal).BuildServiceProvider();
        Agent = new MembershipAgent(Table, Silo, MsOptions.Create(options), _services, Time, NullLogger<MembershipAgent>.Instance);
        Loop = new MembershipProtocolLoop(
            wrapLoopTable?.Invoke(Table) ?? Table,
            View,
            Probes,
            Silo,
            MsOptions.Create(options),
            Fatal,
            Agent,
            Time,
            Log);
    }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public MembershipOptions Options { get; }

    public IMembershipTable Table { get; }

    public LocalSilo Silo { get; }

    public SiloAddress Me => Silo.Address;

    public MembershipAgent Agent { get; }

    public MembershipView View { get; } = new();

    public FakeProbeSender Probes { get; } = new();

    public RecordingFatalHandler Fatal { get; } = new();

    public ListLogger<MembershipProtocolLoop> Log { get; } = new();

    public MembershipProtocolLoop Loop { get; }

    public static async Task<ProtocolHarness> StartAsync(MembershipOptions? options = null, Func<IMembershipTable, IMembershipTable>? wrapLoopTable = null)
    {
        var file = new TempDatabase();
        var database = ClusterDatabase.Open(file.Location);
        await database.ApplySchemaAsync(None);
        var harness = new ProtocolHarness(file, database, options ?? new MembershipOptions(), wrapLoopTable);
        await harness.Agent.JoinAsync(None);
        await harness.Agent.BecomeActiveAsync(None);
        await harness.SettleAsync();
        return harness;
    }

    /// <summary>
    /// Runs like a silo in steady state for DeathTimeout: the clock moves in renewal periods, each renewal lands, a
    /// round runs. Only then does the loop judge other silos' leases (it must have held its own that long).
    /// </summary>
    private async Task SettleAsync()
    {
        await RoundAsync();
        for (var held = TimeSpan.Zero; held <= Options.DeathTimeout; held += Options.IAmAlivePeriod)
        {
            var renewed = Agent.NextRenewal;
            Time.Advance(Options.IAmAlivePeriod);
            await renewed.WaitAsync(TimeSpan.FromSeconds(30));
            await RoundAsync();
        }
    }

    public static SiloAddress Peer(int n) => new($"10.0.0.{n}", 11111, 1);

    public Task RoundAsync() => Loop.RunOnceAsync(None);

    /// <summary>Inserts another silo's row; its IAmAliveTime is the database's now.</summary>
    public async Task<SiloAddress> AddPeerAsync(int n, SiloStatus status = SiloStatus.Active)
    {
        var peer = Peer(n);
        var entry = new MembershipEntry
        {
            Address = peer,
            SiloName = $"peer-{n}",
            HostName = $"host-{n}",
            Status = status,
            StartTime = DateTime.UtcNow,
            IAmAliveTime = DateTime.UtcNow,
        };
        await WithCasRetryAsync(snapshot => Table.InsertRowAsync(entry, snapshot.Version, None));
        return peer;
    }

    public Task SetStatusAsync(SiloAddress silo, SiloStatus status) =>
        WithCasRetryAsync(snapshot => Table.UpdateRowAsync(snapshot.Find(silo)! with { Status = status }, snapshot.Version, None));

    /// <summary>Writes <paramref name="voter"/>'s suspicion of <paramref name="suspect"/> at the database's now.</summary>
    public Task AddVoteAsync(SiloAddress suspect, SiloAddress voter) =>
        WithCasRetryAsync(snapshot =>
        {
            var row = snapshot.Find(suspect)!;
            return Table.UpdateRowAsync(row with { SuspectTimes = [.. row.SuspectTimes, new SuspectVote(voter, snapshot.DatabaseTime)] }, snapshot.Version, None);
        });

    /// <summary>What a silo that stopped renewing looks like: its IAmAliveTime is <paramref name="age"/> old.</summary>
    public async Task StopRenewingAsync(SiloAddress silo, TimeSpan age)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _file.Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE OrleansMembershipTable SET IAmAliveTime = strftime('%Y-%m-%d %H:%M:%f', 'now', @Offset)
            WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
            """;
        command.Parameters.AddWithValue("Offset", $"-{age.TotalSeconds:0.000} seconds");
        command.Parameters.AddWithValue("DeploymentId", ClusterId);
        command.Parameters.AddWithValue("Address", silo.Host);
        command.Parameters.AddWithValue("Port", silo.Port);
        command.Parameters.AddWithValue("Generation", silo.Generation);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    /// <summary>This silo's own renewals stop (as when its database connection is lost); its status stays Active.</summary>
    public Task StopLocalRenewalsAsync() => Agent.AbandonAsync();

    public Task<MembershipSnapshot> ReadAsync() => Table.ReadAllAsync(None);

    public async Task<MembershipEntry> RowAsync(SiloAddress silo) => (await ReadAsync()).Find(silo)!;

    public async ValueTask DisposeAsync()
    {
        await Loop.DisposeAsync();
        await Agent.DisposeAsync();

        await _services.DisposeAsync();
        await _database.DisposeAsync();
        _file.Dispose();
    }

    private async Task WithCasRetryAsync(Func<MembershipSnapshot, Task<bool>> write)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await write(await ReadAsync()))
            {
                return;
            }
        }

        Assert.Fail("A test write lost the compare-and-swap 100 times in a row.");
    }
}
