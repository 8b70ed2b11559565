namespace Failover.Agents.Dispatching;

/// <summary>
/// JS7's choice of a subagent, pure: group the candidates by priority (higher first), take the first group with an
/// available subagent (enabled, heartbeating, under its process limit), round-robin inside that group. Distinct
/// priorities give fixed priority (active-passive), equal ones round-robin (active-active); tiers may be mixed.
/// </summary>
public static class SubagentSelector
{
    /// <param name="availability">By subagent id; a subagent missing here has not been heard: not heartbeating.</param>
    public static SubagentSelection Select(
        CandidateSet set,
        IReadOnlyDictionary<string, SubagentAvailability> availability,
        JobLoad job,
        RoundRobinCursors cursors)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(availability);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(cursors);

        var groups = set.Candidates
            .GroupBy(c => c.Priority)
            .OrderByDescending(g => g.Key)
            .Select(g => (Priority: g.Key, Members: g.Select(c => c.Id).Distinct().Order(StringComparer.Ordinal).ToList()))
            .ToList();
        var roundRobinGroups = groups.Where(g => g.Members.Count > 1).Select(g => g.Priority).ToHashSet();
        var kept = cursors.Retain(set.Key, roundRobinGroups);

        if (job.AtLimit)
        {
            return SubagentSelection.None($"job {job.JobId} is at its process limit {job.ProcessLimit}", kept);
        }

        if (groups.Count == 0)
        {
            return SubagentSelection.None($"{set.Description} has no subagents", kept);
        }

        var unavailable = new List<string>();
        foreach (var (priority, members) in groups)
        {
            var available = new List<string>();
            foreach (var id in members)
            {
                var why = availability.TryGetValue(id, out var status) ? status.Unavailable() : "not heartbeating";
                if (why is null)
                {
                    available.Add(id);
                }
                else
                {
                    unavailable.Add($"{id} {why}");
                }
            }

            if (available.Count > 0)
            {
                var chosen = Next(available, kept.LastChosen(set.Key, priority));
                return SubagentSelection.Chosen(chosen, members.Count > 1 ? kept.With(set.Key, priority, chosen) : kept);
            }
        }

        return SubagentSelection.None($"no subagent of {set.Description} is available: {string.Join(", ", unavailable)}", kept);
    }

    /// <summary>The first of <paramref name="available"/> (ordinal order) after <paramref name="last"/>, wrapping around.</summary>
    private static string Next(List<string> available, string? last) =>
        last is null
            ? available[0]
            : available.FirstOrDefault(id => string.CompareOrdinal(id, last) > 0) ?? available[0];
}
