namespace Failover.Agents.Topology;

/// <summary>This silo's copy of the cluster topology, refreshed by <see cref="TopologyWatcher"/>.</summary>
public sealed class TopologyView
{
    private volatile TopologyDocument _current = TopologyDocument.Empty;

    public TopologyDocument Current => _current;

    public long Version { get; private set; }

    /// <summary>Raised (on the watcher's thread) after <see cref="Current"/> changed.</summary>
    public event Action<TopologyDocument>? Changed;

    public void Update(long version, TopologyDocument document)
    {
        Version = version;
        _current = document;
        Changed?.Invoke(document);
    }
}
