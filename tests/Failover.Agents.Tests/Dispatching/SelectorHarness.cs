using Failover.Agents.Dispatching;

namespace Failover.Agents.Tests.Dispatching;

/// <summary>
/// A candidate set and the subagents' availability, written compactly: <c>"a:2 b:2 c:1"</c> are ids with priorities;
/// availability is changed per subagent. It keeps the cursors between selections, as the dispatcher does.
/// </summary>
public sealed class SelectorHarness
{
    private readonly Dictionary<string, SubagentAvailability> _availability = new(StringComparer.Ordinal);

    public SelectorHarness(string candidates, string set = "workers")
    {
        Set = new CandidateSet(set, $"cluster {set}", [.. Parse(candidates)]);
        foreach (var candidate in Set.Candidates)
        {
            _availability[candidate.Id] = Available;
        }
    }

    public static SubagentAvailability Available { get; } = new(Enabled: true, Heartbeating: true, Running: 0, ProcessLimit: 8);

    public CandidateSet Set { get; }

    public RoundRobinCursors Cursors { get; set; } = RoundRobinCursors.Empty;

    public JobLoad Job { get; set; } = new("hello", null, 0);

    public SelectorHarness With(string id, SubagentAvailability availability)
    {
        _availability[id] = availability;
        return this;
    }

    public SelectorHarness Disabled(string id) => With(id, Available with { Enabled = false });

    public SelectorHarness Silent(string id) => With(id, Available with { Heartbeating = false });

    public SelectorHarness Full(string id, int limit = 8) => With(id, Available with { Running = limit, ProcessLimit = limit });

    public SelectorHarness Unknown(string id)
    {
        _availability.Remove(id);
        return this;
    }

    public SelectorHarness Up(string id) => With(id, Available);

    /// <summary>Marks subagents unavailable: <c>-x</c> disabled, <c>~x</c> not heartbeating, <c>!x</c> at its limit, <c>?x</c> never heard.</summary>
    public SelectorHarness Mark(string marks)
    {
        foreach (var mark in marks.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var id = mark[1..];
            _ = mark[0] switch
            {
                '-' => Disabled(id),
                '~' => Silent(id),
                '!' => Full(id),
                '?' => Unknown(id),
                _ => throw new ArgumentException($"unknown mark {mark}", nameof(marks)),
            };
        }

        return this;
    }

    public SubagentSelection Select()
    {
        var selection = SubagentSelector.Select(Set, _availability, Job, Cursors);
        Cursors = selection.Cursors;
        return selection;
    }

    /// <summary>The subagents of <paramref name="count"/> selections, "-" where none was available.</summary>
    public string Sequence(int count) => string.Join(" ", Enumerable.Range(0, count).Select(_ => Select().Subagent ?? "-"));

    public Dictionary<string, int> Distribution(int count) =>
        Enumerable.Range(0, count).Select(_ => Select().Subagent ?? "-").GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

    private static IEnumerable<SubagentCandidate> Parse(string candidates) =>
        candidates.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.Split(':'))
            .Select(p => new SubagentCandidate(p[0], int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)));
}
