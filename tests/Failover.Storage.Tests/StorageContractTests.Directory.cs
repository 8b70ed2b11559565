using Failover.Storage.Directory;
using Orleans.Runtime;

namespace Failover.Storage.Tests;

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
        var owner = Activation(grain, Silo(1));
        var rival = Activation(grain, Silo(2));

        var first = await directory.TryClaimAsync(owner, null, None);
        var refused = await directory.TryClaimAsync(rival, null, None);

        Assert.Equal(new DirectoryEntry(grain, Silo(1), owner.ActivationId, 1), first);
        Assert.Equal(first, refused);
        Assert.Equal(first, await directory.LookupAsync(grain, None));
        Assert.Null(await Database.CreateGrainDirectory(ClusterId + "-other").LookupAsync(grain, None));
    }

    [Fact]
    public async Task Directory_claim_by_a_new_activation_on_the_owners_silo_takes_over_with_a_new_epoch()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        var directory = Database.CreateGrainDirectory(ClusterId);
        var grain = Grain("g");
        await directory.TryClaimAsync(Activation(grain, Silo(1)), null, None);

        // A silo holds at most one activation of a grain: the earlier one is gone (its release failed), and the new
        // epoch fences whatever it might still write.
        var next = Activation(grain, Silo(1));
        var again = await directory.TryClaimAsync(next, null, None);

        Assert.Equal(new DirectoryEntry(grain, Silo(1), next.ActivationId, 2), again);
        Assert.Equal(again, await directory.LookupAsync(grain, None));
    }

    [Fact]
    public async Task Directory_claim_replacing_exactly_the_current_owner_succeeds_and_a_stale_replacement_is_refused()
    {
        var membership = await ReadyMembershipAsync();
        foreach (var n in new[] { 1, 2, 3 })
        {
            await InsertWithRetryAsync(membership, Entry(Silo(n)));
        }

        var directory = Database.CreateGrainDirectory(ClusterId);
        var grain = Grain("g");
        var first = Activation(grain, Silo(1));
        await directory.TryClaimAsync(first, null, None);

        // Orleans asks to replace an activation it found missing; only exactly that owner (silo and activation) is replaced.
        var wrongActivation = Address(grain, Silo(1), ActivationId.NewId());
        var wrongSilo = Address(grain, Silo(3), first.ActivationId);
        Assert.Equal(first.ActivationId, (await directory.TryClaimAsync(Activation(grain, Silo(2)), wrongActivation, None)).Activation);
        Assert.Equal(first.ActivationId, (await directory.TryClaimAsync(Activation(grain, Silo(2)), wrongSilo, None)).Activation);

        var second = Activation(grain, Silo(2));
        var replaced = await directory.TryClaimAsync(second, first, None);
        Assert.Equal(new DirectoryEntry(grain, Silo(2), second.ActivationId, 2), replaced);

        // Replacing the first owner again is stale now: the second keeps the grain.
        var third = Activation(grain, Silo(3));
        Assert.Equal(replaced, await directory.TryClaimAsync(third, first, None));
        Assert.Equal(replaced, await directory.LookupAsync(grain, None));
    }

    [Fact]
    public async Task Directory_claim_succeeds_with_the_next_epoch_once_the_owner_is_dead_or_gone()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        var directory = Database.CreateGrainDirectory(ClusterId);
        var grain = Grain("g");
        await directory.TryClaimAsync(Activation(grain, Silo(1)), null, None);
        await SetStatusWithRetryAsync(membership, Silo(1), SiloStatus.ShuttingDown);
        Assert.Equal(Silo(1), (await directory.TryClaimAsync(Activation(grain, Silo(2)), null, None)).Owner);

        await SetStatusWithRetryAsync(membership, Silo(1), SiloStatus.Dead);
        var taker = Activation(grain, Silo(2));
        var taken = await directory.TryClaimAsync(taker, null, None);

        Assert.Equal(new DirectoryEntry(grain, Silo(2), taker.ActivationId, 2), taken);

        // Silo 3 never joined: an owner without a membership row counts as gone.
        var stray = Grain("stray");
        await directory.TryClaimAsync(Activation(stray, Silo(3)), null, None);
        var strayTaker = Activation(stray, Silo(2));
        Assert.Equal(new DirectoryEntry(stray, Silo(2), strayTaker.ActivationId, 2), await directory.TryClaimAsync(strayTaker, null, None));

        // A row of another cluster does not keep an owner alive in this one.
        var elsewhere = await OrleansMembershipAsync(ClusterId + "-other");
        await InsertWithRetryAsync(elsewhere, Entry(Silo(4)));
        var foreign = Grain("foreign");
        await directory.TryClaimAsync(Activation(foreign, Silo(4)), null, None);
        Assert.Equal(Silo(2), (await directory.TryClaimAsync(Activation(foreign, Silo(2)), null, None)).Owner);
    }

    [Fact]
    public async Task Directory_release_by_the_owning_activation_keeps_the_epoch_and_the_next_claim_bumps_it()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        var directory = Database.CreateGrainDirectory(ClusterId);
        var grain = Grain("g");
        var owner = Activation(grain, Silo(1));
        await directory.TryClaimAsync(owner, null, None);

        Assert.False(await directory.ReleaseAsync(Address(grain, Silo(1), ActivationId.NewId()), None));
        Assert.False(await directory.ReleaseAsync(Address(grain, Silo(2), owner.ActivationId), None));
        Assert.False(await directory.ReleaseAsync(Address(Grain("other"), Silo(1), owner.ActivationId), None));
        Assert.True(await directory.ReleaseAsync(owner, None));
        Assert.Equal(new DirectoryEntry(grain, null, default, 1), await directory.LookupAsync(grain, None));
        Assert.False(await directory.ReleaseAsync(owner, None));

        var next = Activation(grain, Silo(2));
        Assert.Equal(new DirectoryEntry(grain, Silo(2), next.ActivationId, 2), await directory.TryClaimAsync(next, null, None));
    }

    [Fact]
    public async Task Directory_release_all_clears_only_that_silos_entries()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        var directory = Database.CreateGrainDirectory(ClusterId);
        await directory.TryClaimAsync(Activation(Grain("a"), Silo(1)), null, None);
        await directory.TryClaimAsync(Activation(Grain("b"), Silo(1)), null, None);
        var kept = await directory.TryClaimAsync(Activation(Grain("c"), Silo(2)), null, None);

        Assert.Equal(2, await directory.ReleaseAllAsync(Silo(1), None));

        Assert.Equal(new DirectoryEntry(Grain("a"), null, default, 1), await directory.LookupAsync(Grain("a"), None));
        Assert.Equal(new DirectoryEntry(Grain("b"), null, default, 1), await directory.LookupAsync(Grain("b"), None));
        Assert.Equal(kept, await directory.LookupAsync(Grain("c"), None));
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
        var claimants = silos.Select(s => Activation(grain, s)).ToArray();

        var results = await Task.WhenAll(claimants.Select(c => Task.Run(() => directory.TryClaimAsync(c, null, None))));

        var winner = Assert.Single(claimants, c => results.Any(r => r.Owner == c.SiloAddress && r.Activation == c.ActivationId));
        var expected = new DirectoryEntry(grain, winner.SiloAddress, winner.ActivationId, 1);
        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.Equal(expected, await directory.LookupAsync(grain, None));
    }
}
