using Failover.Storage.Directory;
using Failover.Storage.Membership;

namespace Failover.Storage.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Directory_claim_of_a_fresh_grain_gets_epoch_1_and_an_active_owner_keeps_it()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        var directory = Database.CreateGrainDirectory(ClusterId);
        var grain = Grain("g");
        Assert.Null(await directory.LookupAsync(grain, None));

        var first = await directory.TryClaimAsync(grain, Silo(1), None);
        var refused = await directory.TryClaimAsync(grain, Silo(2), None);
        var again = await directory.TryClaimAsync(grain, Silo(1), None);

        Assert.Equal(new DirectoryEntry(grain, Silo(1), 1), first);
        Assert.Equal(first, refused);
        // The owner claiming again (a new activation after a failed release) gets a new epoch that fences the old one.
        Assert.Equal(new DirectoryEntry(grain, Silo(1), 2), again);
        Assert.Equal(again, await directory.LookupAsync(grain, None));
        Assert.Null(await Database.CreateGrainDirectory(ClusterId + "-other").LookupAsync(grain, None));
    }

    [Fact]
    public async Task Directory_claim_succeeds_with_the_next_epoch_once_the_owner_is_dead_or_gone()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        var directory = Database.CreateGrainDirectory(ClusterId);
        var grain = Grain("g");
        await directory.TryClaimAsync(grain, Silo(1), None);
        await SetStatusWithRetryAsync(membership, Silo(1), SiloStatus.ShuttingDown);
        Assert.Equal(Silo(1), (await directory.TryClaimAsync(grain, Silo(2), None)).Owner);

        await SetStatusWithRetryAsync(membership, Silo(1), SiloStatus.Dead);
        var taken = await directory.TryClaimAsync(grain, Silo(2), None);

        Assert.Equal(new DirectoryEntry(grain, Silo(2), 2), taken);

        // Silo 3 never joined: an owner without a membership row counts as gone.
        var stray = Grain("stray");
        await directory.TryClaimAsync(stray, Silo(3), None);
        Assert.Equal(new DirectoryEntry(stray, Silo(2), 2), await directory.TryClaimAsync(stray, Silo(2), None));
    }

    [Fact]
    public async Task Directory_release_keeps_the_epoch_and_the_next_claim_bumps_it()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        var directory = Database.CreateGrainDirectory(ClusterId);
        var grain = Grain("g");
        var claimed = await directory.TryClaimAsync(grain, Silo(1), None);

        Assert.False(await directory.ReleaseAsync(grain, Silo(1), claimed.Epoch + 1, None));
        Assert.False(await directory.ReleaseAsync(grain, Silo(2), claimed.Epoch, None));
        Assert.True(await directory.ReleaseAsync(grain, Silo(1), claimed.Epoch, None));
        Assert.Equal(new DirectoryEntry(grain, null, 1), await directory.LookupAsync(grain, None));
        Assert.False(await directory.ReleaseAsync(grain, Silo(1), claimed.Epoch, None));

        Assert.Equal(new DirectoryEntry(grain, Silo(2), 2), await directory.TryClaimAsync(grain, Silo(2), None));
    }

    [Fact]
    public async Task Directory_release_all_clears_only_that_owners_entries()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        var directory = Database.CreateGrainDirectory(ClusterId);
        await directory.TryClaimAsync(Grain("a"), Silo(1), None);
        await directory.TryClaimAsync(Grain("b"), Silo(1), None);
        await directory.TryClaimAsync(Grain("c"), Silo(2), None);

        Assert.Equal(2, await directory.ReleaseAllAsync(Silo(1), None));

        Assert.Null((await directory.LookupAsync(Grain("a"), None))!.Owner);
        Assert.Null((await directory.LookupAsync(Grain("b"), None))!.Owner);
        Assert.Equal(Silo(2), (await directory.LookupAsync(Grain("c"), None))!.Owner);
        Assert.Equal(0, await directory.ReleaseAllAsync(Silo(1), None));
    }

    [Fact]
    public async Task Directory_claim_by_20_parallel_silos_yields_exactly_one_owner()
    {
        var membership = await ReadyMembershipAsync();
        var silos = Enumerable.Range(1, 20).Select(Silo).ToArray();
        foreach (var silo in silos)
        {
            await InsertWithRetryAsync(membership, Entry(silo));
        }

        var directory = Database.CreateGrainDirectory(ClusterId);
        var grain = Grain("contended");

        var results = await Task.WhenAll(silos.Select(s => Task.Run(() => directory.TryClaimAsync(grain, s, None))));

        var winner = Assert.Single(silos, s => results.Any(r => r.Owner == s));
        Assert.All(results, r => Assert.Equal(new DirectoryEntry(grain, winner, 1), r));
        Assert.Equal(new DirectoryEntry(grain, winner, 1), await directory.LookupAsync(grain, None));
    }
}
