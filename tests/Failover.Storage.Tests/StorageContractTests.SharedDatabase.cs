using Orleans.Runtime;

namespace Failover.Storage.Tests;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Two_instances_on_one_database_agree_on_membership_and_directory_under_contention()
    {
        var table = await ReadyMembershipAsync();
        await using var other = OpenAnotherInstance();
        var otherTable = await OrleansMembershipAsync();
        var silos = Enumerable.Range(1, 20).Select(Silo).ToArray();

        // Even silos join through one provider instance, odd ones through the other, all at once.
        await Task.WhenAll(silos.Select((s, i) => Task.Run(() => InsertWithRetryAsync(i % 2 == 0 ? table : otherTable, Entry(s)))));

        var mine = await Database.CreateMembershipRows(ClusterId).ReadAllAsync(None);
        var theirs = await other.CreateMembershipRows(ClusterId).ReadAllAsync(None);
        Assert.Equal(20, mine.Version);
        Assert.Equal(mine.Version, theirs.Version);
        Assert.Equal(20, mine.Entries.Count);
        Assert.Equal(20, theirs.Entries.Count);

        var directories = new[] { Database.CreateGrainDirectory(ClusterId), other.CreateGrainDirectory(ClusterId) };
        var grain = Grain("shared");
        var claims = await Task.WhenAll(silos.Select((s, i) => Task.Run(() => directories[i % 2].TryClaimAsync(Activation(grain, s), null, None))));
        var owner = Assert.Single(claims.Select(c => (c.Owner, c.Activation)).Distinct());
        Assert.All(claims, c => Assert.Equal(1, c.Epoch));

        await SetStatusWithRetryAsync(otherTable, owner.Owner!, SiloStatus.Dead);
        var survivors = silos.Where(s => !s.Equals(owner.Owner)).ToArray();
        var retakes = await Task.WhenAll(survivors.Select((s, i) => Task.Run(() => directories[i % 2].TryClaimAsync(Activation(grain, s), null, None))));
        var newOwner = Assert.Single(retakes.Select(c => (c.Owner, c.Activation)).Distinct());
        Assert.NotEqual(owner.Owner, newOwner.Owner);
        Assert.All(retakes, c => Assert.Equal(2, c.Epoch));
    }
}
