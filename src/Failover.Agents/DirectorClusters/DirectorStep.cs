namespace Failover.Agents.DirectorClusters;

/// <summary>
/// The outcome of one input to <see cref="DirectorClusterMachine"/>. When <see cref="Changed"/>, the shell persists
/// <see cref="Record"/> before it answers or records <see cref="Events"/>. <see cref="Refusal"/> explains a refused
/// user command.
/// </summary>
public sealed record DirectorStep(
    DirectorClusterRecord Record,
    bool Changed,
    IReadOnlyList<DirectorClusterEvent> Events,
    DirectorAssignment? Assignment = null,
    string? Refusal = null)
{
    public bool Refused => Refusal is not null;
}
