namespace Failover.Benchmarks.Peers;

/// <summary>What a system of the peers suite gets to set itself up: the shared server, its configuration, a place for files.</summary>
internal sealed record PeerContext(string ServerConnectionString, string Configuration, DirectoryInfo WorkDirectory, TextWriter Progress);

/// <summary>
/// Creates one system of the comparison on a database of its own (<see cref="PeerDatabase"/>), its nodes not yet
/// started; disposing the system stops its nodes and drops its database.
/// </summary>
internal delegate Task<IPeerSystem> PeerSystemFactory(PeerContext context, CancellationToken cancellationToken);
