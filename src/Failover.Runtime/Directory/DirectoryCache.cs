using System.Collections.Concurrent;
using Failover.Runtime.Grains;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Directory;

/// <summary>
/// Where grains owned by other silos live, as last read from the directory. Entries go when their silo is no longer
/// alive in the membership view, and when a call finds the grain gone ("not here").
/// </summary>
internal sealed class DirectoryCache
{
    private readonly ConcurrentDictionary<GrainId, SiloAddress> _owners = new();

    public DirectoryCache(MembershipView view)
    {
        view.Changed += snapshot =>
        {
            foreach (var (grainId, owner) in _owners)
            {
                if (snapshot.Find(owner) is not { Status: SiloStatus.Active or SiloStatus.Joining })
                {
                    _owners.TryRemove(KeyValuePair.Create(grainId, owner));
                }
            }
        };
    }

    public bool TryGet(GrainId grainId, out SiloAddress owner) => _owners.TryGetValue(grainId, out owner!);

    public void Set(GrainId grainId, SiloAddress owner) => _owners[grainId] = owner;

    public void Invalidate(GrainId grainId) => _owners.TryRemove(grainId, out _);
}
