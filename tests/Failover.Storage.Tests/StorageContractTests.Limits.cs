using System.Net;
using Orleans.Runtime;

namespace Failover.Storage.Tests;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Values_wider_than_their_columns_are_refused_alike_by_every_database()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        var longGrain = Grain(new string('k', 200));
        // fe80:ffff:…%4294967295 is 50 characters: wider than Orleans' varchar(45) address column.
        var wideHost = SiloAddress.New(new IPAddress(IPAddress.Parse("fe80:ffff:ffff:ffff:ffff:ffff:ffff:ffff").GetAddressBytes(), uint.MaxValue), 1, 1);
        var directory = Database.CreateGrainDirectory(ClusterId);
        var state = Database.CreateGrainStateStore(ServiceId, ClusterId);
        var rows = Database.CreateMembershipRows(ClusterId);

        await Assert.ThrowsAsync<ArgumentException>(() => directory.TryClaimAsync(Activation(longGrain, Silo(1)), null, None));
        await Assert.ThrowsAsync<ArgumentException>(() => directory.TryClaimAsync(Activation(Grain("g"), wideHost), null, None));
        await Assert.ThrowsAsync<ArgumentException>(() => directory.LookupAsync(longGrain, None));
        await Assert.ThrowsAsync<ArgumentException>(() => directory.ReleaseAsync(Activation(longGrain, Silo(1)), None));
        await Assert.ThrowsAsync<ArgumentException>(() => directory.ReleaseAllAsync(wideHost, None));
        await Assert.ThrowsAsync<ArgumentException>(() => state.ReadAsync(longGrain, "state", None));
        await Assert.ThrowsAsync<ArgumentException>(() => state.ReadAsync(Grain("g"), new string('n', 151), None));
        await Assert.ThrowsAsync<ArgumentException>(() => state.WriteAsync(longGrain, "state", "{}", 0, new(longGrain, 1), None));
        await Assert.ThrowsAsync<ArgumentException>(() => rows.RenewLeaseAsync(wideHost, None));
        Assert.Throws<ArgumentException>(() => Database.CreateGrainDirectory(new string('c', 151)));
        Assert.Throws<ArgumentException>(() => Database.CreateMembershipRows(new string('c', 151)));
        Assert.Throws<ArgumentException>(() => Database.CreateGrainStateStore(new string('s', 151), ClusterId));
        Assert.Throws<ArgumentException>(() => Database.CreateGrainStateStore(ServiceId, ""));
        Assert.Throws<ArgumentException>(() => Database.CreateEventLog(new string('s', 151)));

        Assert.Null(await directory.LookupAsync(Grain("g"), None));
        Assert.Equal(1, (await rows.ReadAllAsync(None)).Version);
    }
}
