namespace Failover.Agents.DirectorClusters;

/// <summary>
/// How many tasks run on a node's subagents of an agent cluster: a switch-over is refused while the active director's
/// own subagent runs one. The job dispatchers provide it. The witness gives it a deadline through the token; an
/// answer it cannot get refuses the switch-over.
/// </summary>
public interface IDirectorWorkload
{
    Task<int> RunningTasksOnNodeAsync(string agentId, string node, CancellationToken cancellationToken);
}
