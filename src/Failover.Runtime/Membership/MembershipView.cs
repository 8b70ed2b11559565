namespace Failover.Runtime.Membership;

/// <summary>
/// This silo's latest read of the membership table, shared by the router, the directory cache and the reminder
/// ring. Updated by the membership protocol loop; <see cref="Changed"/> fires when any silo's status changed.
/// </summary>
public sealed class MembershipView
{
    private volatile MembershipSnapshot _current = new([], 0, DateTime.MinValue);

    public MembershipSnapshot Current => _current;

    /// <summary>Raised (synchronously, on the updating thread) with the new snapshot when a status changed.</summary>
    public event Action<MembershipSnapshot>? Changed;

    /// <summary>Silos whose row is Active, ordered by address: the members of the reminder ring and the gateways.</summary>
    public IReadOnlyList<SiloAddress> ActiveSilos =>
        [.. _current.Entries.Where(e => e.Status == SiloStatus.Active).Select(e => e.Address).OrderBy(a => a.ToString(), StringComparer.Ordinal)];

    /// <summary>Whether calls may still go to this silo: it has a row that is not Dead.</summary>
    public bool IsAlive(SiloAddress silo) => _current.Find(silo) is { Status: not SiloStatus.Dead };

    public bool IsDead(SiloAddress silo) => _current.Find(silo) is { Status: SiloStatus.Dead };

    public void Update(MembershipSnapshot snapshot)
    {
        var previous = _current;
        _current = snapshot;
        if (StatusesDiffer(previous, snapshot))
        {
            Changed?.Invoke(snapshot);
        }
    }

    private static bool StatusesDiffer(MembershipSnapshot a, MembershipSnapshot b) =>
        a.Entries.Count != b.Entries.Count
        || a.Entries.Any(e => b.Find(e.Address)?.Status != e.Status);
}
