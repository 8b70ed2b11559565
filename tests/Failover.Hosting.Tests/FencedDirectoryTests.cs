using System.Text.Json;
using Failover.Hosting.Tests.Cluster;
using Failover.Hosting.Tests.Grains;
using Failover.Storage;
using Failover.Storage.Directory;
using Failover.Storage.Persistence;
using Failover.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Failover.Hosting.Tests;

/// <summary>The fenced grain directory and storage in a cluster of two silos on one SQLite file (invariant 1).</summary>
public sealed class FencedDirectoryTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly RaceGate _gate = new();
    private FailoverTestCluster? _cluster;
    private IClusterDatabase? _database;

    private FailoverTestCluster Cluster => _cluster!;

    private SiloHandle A => Cluster.Silos[0];

    private SiloHandle B => Cluster.Silos[1];

    public async Task InitializeAsync()
    {
        _cluster = await FailoverTestCluster.StartAsync(2, configureSilo: silo => silo.Services.AddSingleton(_gate));
        _database = Cluster.OpenDatabase();
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Two_silos_racing_to_activate_a_fenced_grain_end_with_one_activation_that_both_reach()
    {
        var directory = _database!.CreateGrainDirectory(Cluster.ClusterId);
        for (var round = 0; round < 10; round++)
        {
            var key = $"{RaceGate.Prefix}{round}";
            var fromA = Cluster.Grains(A).GetGrain<IFencedProbeGrain>(key);
            var fromB = Cluster.Grains(B).GetGrain<IFencedProbeGrain>(key);

            // Each silo places it on itself: both construct an activation (the gate holds each until the other is
            // there), and both claim it in SQL.
            var first = await Task.WhenAll(Task.Run(fromA.Where), Task.Run(fromB.Where));
            Assert.Equal(2, _gate.Arrivals(key));
            var again = await Task.WhenAll(fromA.Where(), fromB.Where(), fromA.Where(), fromB.Where());
            var counts = await Task.WhenAll(fromA.Append("a"), fromB.Append("b"));

            var winner = first[0];
            Assert.All(first.Concat(again), info => Assert.Equal(winner, info));
            Assert.Equal(1, winner.Epoch);
            Assert.Equal(new DirectoryEntry(fromA.GetGrainId(), winner.Silo, winner.Activation, 1), await directory.LookupAsync(fromA.GetGrainId(), None));
            Assert.Equal([1, 2], counts.Order());
        }
    }

    [Fact]
    public async Task After_its_silo_stops_a_fenced_grain_activates_on_another_with_a_higher_epoch_and_its_state()
    {
        var grain = Cluster.Grains(A).GetGrain<IFencedProbeGrain>("moving");
        var before = await grain.Where();
        Assert.Equal(1, await grain.Append("one"));
        Assert.Equal(2, await grain.Append("two"));
        var owner = Cluster.Silo(before.Silo);
        var survivor = owner == A ? B : A;

        await Cluster.Cluster.StopSiloAsync(owner);

        var fromSurvivor = Cluster.Grains(survivor).GetGrain<IFencedProbeGrain>("moving");
        ActivationInfo? after = null;
        await Eventually.True(
            async () =>
            {
                try
                {
                    after = await fromSurvivor.Where();
                    return true;
                }
                catch (SiloUnavailableException)
                {
                    // The survivor had not read the stopped silo's row yet.
                    return false;
                }
            },
            "the grain answers from the surviving silo");

        Assert.Equal(survivor.SiloAddress, after!.Silo);
        Assert.True(after.Epoch > before.Epoch, $"epoch {after.Epoch} after epoch {before.Epoch}");
        Assert.Equal(3, await fromSurvivor.Append("three"));
        Assert.Equal(
            new DirectoryEntry(fromSurvivor.GetGrainId(), survivor.SiloAddress, after.Activation, after.Epoch),
            await _database!.CreateGrainDirectory(Cluster.ClusterId).LookupAsync(fromSurvivor.GetGrainId(), None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_write_by_an_activation_whose_claim_was_taken_over_is_refused_and_nothing_of_it_is_stored(bool callerOnItsSilo)
    {
        var fromA = Cluster.Grains(A).GetGrain<IFencedProbeGrain>("overtaken");
        var fromB = Cluster.Grains(B).GetGrain<IFencedProbeGrain>("overtaken");
        var old = await fromA.Where();
        Assert.Equal(A.SiloAddress, old.Silo);
        Assert.Equal(1, await fromA.Append("one"));
        Assert.Equal(old, await fromB.Where());

        // Another activation takes the claim over, as the directory lets one replace an owner Orleans reported missing.
        var grainId = fromA.GetGrainId();
        var directory = _database!.CreateGrainDirectory(Cluster.ClusterId);
        var newcomer = new GrainAddress { GrainId = grainId, SiloAddress = B.SiloAddress, ActivationId = ActivationId.NewId() };
        var oldAddress = new GrainAddress { GrainId = grainId, SiloAddress = old.Silo, ActivationId = old.Activation };
        var taken = await directory.TryClaimAsync(newcomer, oldAddress, None);
        Assert.Equal(new DirectoryEntry(grainId, B.SiloAddress, newcomer.ActivationId, old.Epoch + 1), taken);

        // The old activation still runs on silo A, and both silos still route to it. Its write is refused with Orleans'
        // own exception type, to a caller on its silo and to one on the other silo alike (Orleans then deactivates it).
        var refused = await Assert.ThrowsAnyAsync<InconsistentStateException>(() => (callerOnItsSilo ? fromA : fromB).Append("two"));

        Assert.IsType<ActivationFencedException>(refused);
        Assert.Contains($"epoch {old.Epoch}", refused.Message, StringComparison.Ordinal);
        var stored = await _database.CreateGrainStateStore(Cluster.ServiceId, Cluster.ClusterId).ReadAsync(grainId, "ledger", None);
        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal(["one"], JsonDocument.Parse(stored.Payload).RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(taken, await directory.LookupAsync(grainId, None));
    }

    [Fact]
    public async Task A_grain_outside_the_fenced_directory_cannot_write_fenced_state()
    {
        var grain = Cluster.Grains(A).GetGrain<IUnclaimedWriterGrain>("unclaimed");

        var refused = await Assert.ThrowsAnyAsync<InconsistentStateException>(() => grain.Append("x"));

        Assert.IsType<ActivationFencedException>(refused);
        Assert.Contains("holds no claim", refused.Message, StringComparison.Ordinal);
        Assert.Null(await _database!.CreateGrainStateStore(Cluster.ServiceId, Cluster.ClusterId).ReadAsync(grain.GetGrainId(), "ledger", None));
    }
}
