namespace Failover.Agents.DirectorClusters;

/// <summary>
/// How many tasks run on a node's subagents of an agent cluster: a switch-over is refused while the active director's
/// own subagent runs one. The job dispatcher provides it; without one registered, no job can run at all.
/// </summary>
public interface IDirectorWorkload
{
    Task<int> RunningTasksOnNodeAsync(string agentId, string node, CancellationToken cancellationToken);
}
