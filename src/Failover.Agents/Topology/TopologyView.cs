using Orleans;

namespace Failover.Agents.Topology;

/// <summary>This silo's copy of the cluster topology, refreshed by <see cref="TopologyWatcher"/>.</summary>
public sealed class TopologyView
{
    private volatile TopologyDocument _current = TopologyDocument.Empty;

    public TopologyDocument Current => _current;

    public long Version { get; private set; }

    /// <summary>Raised (on the watcher's thread) after <see cref="Current"/> changed.</summary>
    public event Action<TopologyDocument>? Changed;

    private readonly Lock _lock = new();

    /// <summary>Takes a newer version; an older or equal one (a slower reader's) changes nothing. True when taken.</summary>
    public bool Update(long version, TopologyDocument document)
    {
        lock (_lock)
        {
            if (version <= Version && Version > 0)
            {
                return false;
            }

            Version = version;
            _current = document;
        }

        Changed?.Invoke(document);
        return true;
    }

    /// <summary>
    /// Reads the topology grain now instead of waiting for the watcher's next round: a grain activated right after
    /// an apply must not fail because this silo has not seen that version yet.
    /// </summary>
    public async Task CatchUpAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var snapshot = await grains.GetGrain<ITopologyGrain>(ITopologyGrain.Key).GetIfNewer(Version).WaitAsync(cancellationToken);
        if (snapshot is not null)
        {
            Update(snapshot.Version, TopologyParser.Parse(snapshot.Json));
        }
    }
}
