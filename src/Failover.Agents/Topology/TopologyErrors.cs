namespace Failover.Agents.Topology;

/// <summary>Collects <c>location: reason</c> lines while a topology is read, remembering which locations failed.</summary>
internal sealed class TopologyErrors
{
    private readonly List<string> _lines = [];
    private readonly HashSet<string> _failedPaths = new(StringComparer.Ordinal);

    public int Count => _lines.Count;

    public IReadOnlyList<string> Lines => _lines;

    public void Add(string path, string reason)
    {
        _lines.Add($"{(path.Length == 0 ? "topology" : path)}: {reason}");
        _failedPaths.Add(path);
    }

    public bool Failed(string path) => _failedPaths.Contains(path);
}
