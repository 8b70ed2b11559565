using Failover.Runtime.Grains;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Reminders;

/// <summary>
/// The consistent-hash ring of Active silos: each silo owns the hashes in (predecessor's position, its position].
/// Pure, so every silo computes the same ranges from the same membership.
/// </summary>
internal static class ReminderRing
{
    /// <summary>The silo's range as (begin, end] for IReminderTable.ReadRowsAsync; null when it owns none.</summary>
    public static (uint Begin, uint End)? RangeOf(SiloAddress silo, IReadOnlyList<SiloAddress> activeSilos)
    {
        if (!activeSilos.Contains(silo))
        {
            return null;
        }

        var positions = activeSilos.Select(Position).Order().ToArray();
        if (positions.Length == 1)
        {
            return (0, 0);
        }

        var mine = Position(silo);
        var index = Array.IndexOf(positions, mine);
        var predecessor = positions[(index - 1 + positions.Length) % positions.Length];
        return (predecessor, mine);
    }

    /// <summary>Whether <paramref name="hash"/> lies in (begin, end]; begin ≥ end wraps around, begin == end is the whole ring.</summary>
    public static bool Contains(uint begin, uint end, uint hash) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    public static uint Position(SiloAddress silo) => StableHash.Compute(silo.ToString());
}
