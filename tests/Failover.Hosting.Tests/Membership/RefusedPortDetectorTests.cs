using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Failover.Hosting.Membership;
using Failover.Storage.Membership;
using Failover.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Failover.Hosting.Tests.Membership;

/// <summary>
/// Which silos the refused-port check declares Dead when a connection with them ends: one whose port refuses and whose
/// row still says it runs (Joining or Active), and no other. Real sockets; the membership service and table are in memory.
/// </summary>
public sealed class RefusedPortDetectorTests
{
    private static readonly SiloAddress s_local = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), 1);

    [Theory]
    [InlineData(SiloStatus.Active, SiloStatus.Active)]
    [InlineData(SiloStatus.Joining, SiloStatus.Joining)]
    [InlineData(SiloStatus.Joining, SiloStatus.Active)] // killed right after it turned Active, before the gossip arrived here
    public async Task A_refused_port_of_a_silo_whose_row_says_it_runs_is_declared_Dead(SiloStatus inSnapshot, SiloStatus inTable)
    {
        var silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, FreePorts.Next()), 2);
        var check = await StartAsync(silo, inSnapshot, inTable);

        await check.Detector.ConnectionEnded(silo.Endpoint);

        Assert.Equal([silo], check.Membership.Killed);
    }

    [Theory]
    [InlineData(SiloStatus.Active, SiloStatus.ShuttingDown)] // a graceful stop writes ShuttingDown before its port closes
    [InlineData(SiloStatus.Active, SiloStatus.Stopping)]
    [InlineData(SiloStatus.Active, SiloStatus.Dead)]
    [InlineData(SiloStatus.Dead, SiloStatus.Dead)]
    [InlineData(SiloStatus.ShuttingDown, SiloStatus.Active)]
    public async Task A_refused_port_of_a_silo_that_is_stopping_or_Dead_is_left_alone(SiloStatus inSnapshot, SiloStatus inTable)
    {
        var silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, FreePorts.Next()), 2);
        var check = await StartAsync(silo, inSnapshot, inTable);

        await check.Detector.ConnectionEnded(silo.Endpoint);

        Assert.Empty(check.Membership.Killed);
    }

    [Fact]
    public async Task A_port_that_accepts_is_a_live_silo_and_is_left_alone()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var silo = SiloAddress.New((IPEndPoint)listener.LocalEndpoint, 2);
        var check = await StartAsync(silo, SiloStatus.Active, SiloStatus.Active);

        await check.Detector.ConnectionEnded(silo.Endpoint);

        Assert.Empty(check.Membership.Killed);
        Assert.Equal(0, check.Rows.Reads);
    }

    [Fact]
    public async Task A_connection_that_ends_before_the_silo_is_active_checks_nothing()
    {
        var silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, FreePorts.Next()), 2);
        var membership = new InMemoryMembership(new ClusterMember(silo, SiloStatus.Active, "node-c"));
        var rows = new InMemoryRows(silo, SiloStatus.Active);
        var detector = NewDetector(membership, rows);

        await detector.ConnectionEnded(silo.Endpoint);

        Assert.Empty(membership.Killed);
        Assert.Equal(0, rows.Reads);
    }

    private static async Task<(RefusedPortDetector Detector, InMemoryMembership Membership, InMemoryRows Rows)> StartAsync(
        SiloAddress silo, SiloStatus inSnapshot, SiloStatus inTable)
    {
        var membership = new InMemoryMembership(new ClusterMember(silo, inSnapshot, "node-c"));
        var rows = new InMemoryRows(silo, inTable);
        var detector = NewDetector(membership, rows);
        var lifecycle = new RecordingLifecycle();
        detector.Participate(lifecycle);
        await lifecycle.StartAsync();
        return (detector, membership, rows);
    }

    private static RefusedPortDetector NewDetector(InMemoryMembership membership, InMemoryRows rows) =>
        new(membership, rows, new LocalSilo(), Options.Create(new RefusedPortOptions { ConfirmDelay = TimeSpan.FromMilliseconds(10) }),
            TimeProvider.System, NullLogger<RefusedPortDetector>.Instance);

    private sealed class InMemoryMembership(ClusterMember member) : IClusterMembershipService
    {
        private readonly Lock _lock = new();
        private readonly List<SiloAddress> _killed = [];

        public IReadOnlyList<SiloAddress> Killed
        {
            get
            {
                lock (_lock)
                {
                    return [.. _killed];
                }
            }
        }

        public ClusterMembershipSnapshot CurrentSnapshot { get; } =
            new(ImmutableDictionary<SiloAddress, ClusterMember>.Empty
                .Add(s_local, new ClusterMember(s_local, SiloStatus.Active, "node-a"))
                .Add(member.SiloAddress, member), new MembershipVersion(5));

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public Task<bool> TryKill(SiloAddress siloAddress)
        {
            lock (_lock)
            {
                _killed.Add(siloAddress);
            }

            return Task.FromResult(true);
        }
    }

    private sealed class InMemoryRows(SiloAddress silo, SiloStatus status) : IMembershipRows
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<MembershipRows> ReadAllAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            var now = DateTime.UtcNow;
            MembershipRow row = new()
            {
                Address = silo,
                SiloName = "node-c",
                HostName = "localhost",
                Status = status,
                StartTime = now,
                IAmAliveTime = now,
            };
            return Task.FromResult(new MembershipRows([row], 6, now));
        }

        public Task<DateTime?> RenewLeaseAsync(SiloAddress address, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteClusterAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class LocalSilo : ILocalSiloDetails
    {
        public string Name => "node-a";

        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => s_local;

        public SiloAddress GatewayAddress => s_local;
    }

    /// <summary>Records what subscribes and starts it: the detector checks only once the silo is active.</summary>
    private sealed class RecordingLifecycle : ISiloLifecycle
    {
        private readonly List<ILifecycleObserver> _observers = [];

        public int HighestCompletedStage { get; private set; }

        public int LowestStoppedStage { get; private set; }

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            _observers.Add(observer);
            return new Unsubscriber();
        }

        public async Task StartAsync()
        {
            foreach (var observer in _observers)
            {
                await observer.OnStart(CancellationToken.None);
            }
        }

        private sealed class Unsubscriber : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
