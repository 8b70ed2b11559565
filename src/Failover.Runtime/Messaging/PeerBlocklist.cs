using System.Collections.Concurrent;

namespace Failover.Runtime.Messaging;

/// <summary>Silo endpoints (<c>host:port</c>) the test fault hook has cut off, as if the network black-holed them.</summary>
internal sealed class PeerBlocklist
{
    private readonly ConcurrentDictionary<string, byte> _blocked = new(StringComparer.OrdinalIgnoreCase);

    public void Block(string hostPort) => _blocked[hostPort] = 0;

    public void Unblock(string hostPort) => _blocked.TryRemove(hostPort, out _);

    public bool IsBlocked(string? hostPort) => hostPort is not null && !_blocked.IsEmpty && _blocked.ContainsKey(hostPort);
}
