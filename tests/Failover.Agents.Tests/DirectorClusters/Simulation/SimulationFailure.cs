namespace Failover.Agents.Tests.DirectorClusters.Simulation;

/// <summary>A broken invariant in one seed; the message names the seed and holds the trace of its last events.</summary>
internal sealed class SimulationFailure(int seed, string message) : Exception(message)
{
    public int Seed { get; } = seed;
}
