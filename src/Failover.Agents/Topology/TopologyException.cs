namespace Failover.Agents.Topology;

/// <summary>A topology that cannot be applied; <see cref="Errors"/> lists every problem, one line each.</summary>
public sealed class TopologyException : Exception
{
    public TopologyException(IEnumerable<string> errors)
        : this([.. errors])
    {
    }

    private TopologyException(string[] errors)
        : base(string.Join('\n', errors))
    {
        Errors = errors;
    }

    /// <summary>Each problem as <c>location: reason</c>, e.g. <c>agentClusters[0].heartbeat: '25x' is not a duration …</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
