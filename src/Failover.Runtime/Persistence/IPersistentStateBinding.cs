namespace Failover.Runtime.Persistence;

/// <summary>The runtime's handle on a grain's persistent state: read once on activation.</summary>
internal interface IPersistentStateBinding
{
    Task ReadAsync(CancellationToken cancellationToken);
}
