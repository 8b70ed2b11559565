namespace Failover.Agents.Tests.DirectorClusters.Simulation;

/// <summary>The last events of a run, for the failure message of a seed.</summary>
internal sealed class SimulationTrace(int capacity)
{
    private readonly string[] _entries = new string[capacity];
    private long _count;

    public void Add(TimeSpan at, string what) => _entries[_count++ % _entries.Length] = $"{at.TotalMilliseconds,9:0.###} ms  {what}";

    public IEnumerable<string> Last()
    {
        var first = Math.Max(0, _count - _entries.Length);
        for (var i = first; i < _count; i++)
        {
            yield return _entries[i % _entries.Length];
        }
    }
}
