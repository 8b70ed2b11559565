namespace Failover.Agents.Topology;

/// <summary>
/// Says what work in progress a new topology would cut off: one line per removed part that still has some. An apply
/// with such lines is refused unless forced; a forced apply reports them.
/// </summary>
public interface ITopologyRemovalCheck
{
    Task<IReadOnlyList<string>> FindCutOffWorkAsync(TopologyDocument current, TopologyDocument next, CancellationToken cancellationToken);
}
