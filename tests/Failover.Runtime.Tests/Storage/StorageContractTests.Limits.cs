using Failover.Storage.Membership;
using Failover.Storage.Reminders;

namespace Failover.Storage.Tests.Storage;

public abstract partial class StorageContractTests
{
    [Fact]
    public async Task Values_wider_than_their_columns_are_refused_alike_by_every_provider()
    {
        await Database.ApplySchemaAsync(None);
        var longGrain = Grain(new string('k', 200));
        var membership = Database.CreateMembershipTable(ClusterId);
        await membership.InitializeAsync(None);

        await Assert.ThrowsAsync<ArgumentException>(() => Database.CreateGrainDirectory(ClusterId).TryClaimAsync(longGrain, Silo(1), None));
        await Assert.ThrowsAsync<ArgumentException>(() => Database.CreateReminderTable(ServiceId).UpsertRowAsync(
            new ReminderEntry { GrainId = longGrain, ReminderName = "r", StartTime = ReminderStart, Period = TimeSpan.FromSeconds(1) }, None));
        await Assert.ThrowsAsync<ArgumentException>(() => membership.InsertRowAsync(Entry(new SiloAddress(new string('h', 46), 1, 1)), 0, None));
        Assert.Throws<ArgumentException>(() => Database.CreateMembershipTable(new string('c', 151)));

        Assert.Equal(0, (await membership.ReadAllAsync(None)).Version);
    }
}
