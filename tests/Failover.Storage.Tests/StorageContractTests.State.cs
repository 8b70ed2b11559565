using Failover.Storage.Directory;
using Failover.Storage.Persistence;
using Orleans.Runtime;
using Orleans.Storage;

namespace Failover.Storage.Tests;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task State_write_read_conflict_and_clear()
    {
        var (store, fence) = await OwnedGrainAsync(Grain("s"));
        var grain = fence.GrainId;
        Assert.Null(await store.ReadAsync(grain, "state", None));

        Assert.Equal(1, await store.WriteAsync(grain, "state", """{"n":1}""", 0, fence, None));
        Assert.Equal(2, await store.WriteAsync(grain, "state", """{"n":2}""", 1, fence, None));
        Assert.Equal(new StoredGrainState("""{"n":2}""", 2), await store.ReadAsync(grain, "state", None));
        Assert.Null(await store.ReadAsync(grain, "other", None));

        // A version conflict is Orleans' own InconsistentStateException (exactly that type: the fence still holds), with
        // the stored and the expected version as its ETags.
        var stale = await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync(grain, "state", "x", 1, fence, None));
        Assert.Equal(("2", "1"), (stale.StoredEtag, stale.CurrentEtag));
        var duplicate = await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync(grain, "state", "x", 0, fence, None));
        Assert.Equal(("2", "0"), (duplicate.StoredEtag, duplicate.CurrentEtag));
        var ahead = await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteAsync(grain, "other", "x", 3, fence, None));
        Assert.Equal(("0", "3"), (ahead.StoredEtag, ahead.CurrentEtag));
        Assert.Equal(new StoredGrainState("""{"n":2}""", 2), await store.ReadAsync(grain, "state", None));

        await Assert.ThrowsAsync<InconsistentStateException>(() => store.ClearAsync(grain, "state", 1, fence, None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.ClearAsync(grain, "state", 0, fence, None));
        await store.ClearAsync(grain, "state", 2, fence, None);
        Assert.Null(await store.ReadAsync(grain, "state", None));
        await store.ClearAsync(grain, "state", 0, fence, None);
        Assert.Equal(1, await store.WriteAsync(grain, "state", "again", 0, fence, None));
    }

    [Fact]
    public async Task State_is_kept_per_service_id()
    {
        var (store, fence) = await OwnedGrainAsync(Grain("s"));
        var otherService = Database.CreateGrainStateStore(ServiceId + "-other", ClusterId);

        await store.WriteAsync(fence.GrainId, "state", "mine", 0, fence, None);

        Assert.Null(await otherService.ReadAsync(fence.GrainId, "state", None));
        Assert.Equal(1, await otherService.WriteAsync(fence.GrainId, "state", "theirs", 0, fence, None));
        Assert.Equal("mine", (await store.ReadAsync(fence.GrainId, "state", None))!.Payload);
    }

    [Fact]
    public async Task State_write_by_a_silo_declared_Dead_is_fenced_before_anyone_reclaims_its_grains()
    {
        var (store, fence) = await OwnedGrainAsync(Grain("s"));
        var grain = fence.GrainId;
        await store.WriteAsync(grain, "state", "v1", 0, fence, None);

        await SetStatusWithRetryAsync(await OrleansMembershipAsync(), Silo(1), SiloStatus.Dead);

        var fenced = await Assert.ThrowsAsync<ActivationFencedException>(() => store.WriteAsync(grain, "state", "zombie", 1, fence, None));
        Assert.Contains("declared Dead", fenced.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<InconsistentStateException>(fenced);
        await Assert.ThrowsAsync<ActivationFencedException>(() => store.ClearAsync(grain, "state", 1, fence, None));
        Assert.Equal(new StoredGrainState("v1", 1), await store.ReadAsync(grain, "state", None));
    }

    [Fact]
    public async Task State_write_with_an_epoch_the_directory_no_longer_shows_is_fenced()
    {
        var (store, oldFence) = await OwnedGrainAsync(Grain("s"));
        var grain = oldFence.GrainId;
        await store.WriteAsync(grain, "state", "v1", 0, oldFence, None);
        var membership = await OrleansMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        await SetStatusWithRetryAsync(membership, Silo(1), SiloStatus.Dead);
        var taken = await Database.CreateGrainDirectory(ClusterId).TryClaimAsync(Activation(grain, Silo(2)), null, None);
        Assert.Equal(Silo(2), taken.Owner);

        // The version is right, the epoch is not: the fence is reported, not a version conflict.
        var fenced = await Assert.ThrowsAsync<ActivationFencedException>(() => store.WriteAsync(grain, "state", "zombie", 1, oldFence, None));
        Assert.Contains($"epoch {oldFence.Epoch}", fenced.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ActivationFencedException>(() => store.WriteAsync(grain, "state", "zombie", 7, oldFence, None));
        await Assert.ThrowsAsync<ActivationFencedException>(() => store.WriteAsync(grain, "fresh", "zombie", 0, oldFence, None));
        await Assert.ThrowsAsync<ActivationFencedException>(() => store.ClearAsync(grain, "state", 1, oldFence, None));
        Assert.Equal(new StoredGrainState("v1", 1), await store.ReadAsync(grain, "state", None));

        var newFence = new ActivationFence(grain, taken.Epoch);
        Assert.Equal(2, await store.WriteAsync(grain, "state", "v2", 1, newFence, None));
    }

    [Fact]
    public async Task State_write_for_a_released_or_unclaimed_grain_is_fenced()
    {
        var (store, fence, owner) = await OwnedGrainWithAddressAsync(Grain("s"));
        Assert.True(await Database.CreateGrainDirectory(ClusterId).ReleaseAsync(owner, None));

        await Assert.ThrowsAsync<ActivationFencedException>(() => store.WriteAsync(fence.GrainId, "state", "x", 0, fence, None));
        await Assert.ThrowsAsync<ActivationFencedException>(() => store.ClearAsync(fence.GrainId, "state", 0, fence, None));
        var never = new ActivationFence(Grain("never-claimed"), 1);
        await Assert.ThrowsAsync<ActivationFencedException>(() => store.WriteAsync(never.GrainId, "state", "x", 0, never, None));
    }

    /// <summary>Silo 1 is Active and owns <paramref name="grain"/>; returns the state store and the owner's fence.</summary>
    private async Task<(IGrainStateStore Store, ActivationFence Fence)> OwnedGrainAsync(GrainId grain)
    {
        var (store, fence, _) = await OwnedGrainWithAddressAsync(grain);
        return (store, fence);
    }

    private async Task<(IGrainStateStore Store, ActivationFence Fence, GrainAddress Owner)> OwnedGrainWithAddressAsync(GrainId grain)
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        var owner = Activation(grain, Silo(1));
        DirectoryEntry claimed = await Database.CreateGrainDirectory(ClusterId).TryClaimAsync(owner, null, None);
        Assert.Equal(Silo(1), claimed.Owner);
        return (Database.CreateGrainStateStore(ServiceId, ClusterId), new ActivationFence(grain, claimed.Epoch), owner);
    }
}
