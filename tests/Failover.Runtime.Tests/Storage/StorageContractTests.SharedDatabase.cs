using Failover.Storage.Membership;

namespace Failover.Storage.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Two_instances_on_one_database_agree_on_membership_and_directory_under_contention()
    {
        var table = await ReadyMembershipAsync();
        await using var other = OpenAnotherInstance();
        var otherTable = other.CreateMembershipTable(ClusterId);
        var initial = await table.ReadAllAsync(None);
        var silos = Enumerable.Range(1, 20).Select(Silo).ToArray();

        // Even silos write through this instance, odd ones through the other, all at once.
        await Task.WhenAll(silos.Select((s, i) => Task.Run(() => InsertWithRetryAsync(i % 2 == 0 ? table : otherTable, Entry(s)))));

        var mine = await table.ReadAllAsync(None);
        var theirs = await otherTable.ReadAllAsync(None);
        Assert.Equal(initial.Version + 20, mine.Version);
        Assert.Equal(mine.Version, theirs.Version);
        Assert.Equal(20, mine.Entries.Count);
        Assert.Equal(20, theirs.Entries.Count);

        var directories = new[] { Database.CreateGrainDirectory(ClusterId), other.CreateGrainDirectory(ClusterId) };
        var grain = Grain("shared");
        var claims = await Task.WhenAll(silos.Select((s, i) => Task.Run(() => directories[i % 2].TryClaimAsync(grain, s, None))));
        Assert.Single(claims.Select(c => c.Owner).Distinct());
        Assert.All(claims, c => Assert.Equal(1, c.Epoch));

        var owner = claims[0].Owner!;
        await SetStatusWithRetryAsync(otherTable, owner, SiloStatus.Dead);
        var survivors = silos.Where(s => s != owner).ToArray();
        var retakes = await Task.WhenAll(survivors.Select((s, i) => Task.Run(() => directories[i % 2].TryClaimAsync(grain, s, None))));
        var newOwner = Assert.Single(retakes.Select(c => c.Owner).Distinct());
        Assert.NotEqual(owner, newOwner);
        Assert.All(retakes, c => Assert.Equal(2, c.Epoch));
    }
}
