using Failover.Runtime.Membership;

namespace Failover.Runtime.Tests.MembershipProtocol;

/// <summary>
/// Lets a competing writer win the next <see cref="Conflicts"/> row updates: it bumps the version with a write of
/// its own just before the real update, which then loses the compare-and-swap.
/// </summary>
internal sealed class ConflictingMembershipTable(IMembershipTable inner) : IMembershipTable
{
    public int Conflicts { get; set; }

    public int LostUpdates { get; private set; }

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        if (Conflicts > 0)
        {
            Conflicts--;
            var current = (await inner.ReadAllAsync(cancellationToken)).Find(entry.Address)!;
            Assert.True(await inner.UpdateRowAsync(current with { ProxyPort = current.ProxyPort + 1 }, expectedVersion, cancellationToken));
        }

        var written = await inner.UpdateRowAsync(entry, expectedVersion, cancellationToken);
        LostUpdates += written ? 0 : 1;
        return written;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken) => inner.ReadAllAsync(cancellationToken);

    public Task<bool> InsertRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken) =>
        inner.InsertRowAsync(entry, expectedVersion, cancellationToken);

    public Task<DateTime> UpdateIAmAliveAsync(SiloAddress address, CancellationToken cancellationToken) =>
        inner.UpdateIAmAliveAsync(address, cancellationToken);

    public Task<int> CleanupDefunctEntriesAsync(DateTime olderThan, CancellationToken cancellationToken) =>
        inner.CleanupDefunctEntriesAsync(olderThan, cancellationToken);

    public Task DeleteClusterAsync(CancellationToken cancellationToken) => inner.DeleteClusterAsync(cancellationToken);
}
