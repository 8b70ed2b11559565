using System.Globalization;

namespace Failover.Host.Tests.Faults;

/// <summary>What the kernel says of a process (Linux /proc): its resident memory and its TCP connections.</summary>
public static class LinuxProcess
{
    /// <summary>VmRSS of /proc/PID/status, in bytes.</summary>
    public static long ResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// The remote ports of the TCP sockets <paramref name="processId"/> holds open on its <paramref name="localPort"/>
    /// (/proc/net/tcp: field 1 the local address, 2 the remote one, 9 the socket's inode, which /proc/PID/fd links name
    /// as socket:[inode]; a socket the process closed has no inode of its own any more).
    /// </summary>
    public static IReadOnlyList<int> RemotePortsOn(int processId, int localPort)
    {
        var ownSockets = SocketInodes(processId);
        var local = $":{localPort:X4}";
        return [.. TcpSockets()
            .Where(fields => fields[1].EndsWith(local, StringComparison.Ordinal) && ownSockets.Contains(fields[9]))
            .Select(fields => int.Parse(fields[2][(fields[2].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
    }

    /// <summary>
    /// Established TCP connections with <paramref name="processId"/> at one end: a socket connected to its
    /// <paramref name="listenPort"/>, or a socket of its own connected to one of <paramref name="peerPorts"/>
    /// (field 3 of /proc/net/tcp is the state, 01 = established).
    /// </summary>
    public static int EstablishedConnectionsWith(int processId, int listenPort, IReadOnlyList<int> peerPorts)
    {
        var ownSockets = SocketInodes(processId);
        var toListener = $":{listenPort:X4}";
        var toPeers = peerPorts.Select(port => $":{port:X4}").ToList();
        return TcpSockets()
            .Where(fields => fields[3] == "01")
            .Count(fields => fields[2].EndsWith(toListener, StringComparison.Ordinal)
                || (ownSockets.Contains(fields[9]) && toPeers.Any(peer => fields[2].EndsWith(peer, StringComparison.Ordinal))));
    }

    /// <summary>The rows of /proc/net/tcp and tcp6, split in fields; a header row has too few to pass.</summary>
    private static IEnumerable<string[]> TcpSockets() =>
        new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9);

    /// <summary>The inodes of the sockets <paramref name="processId"/> holds open (/proc/PID/fd links named socket:[inode]).</summary>
    public static IReadOnlySet<string> SocketInodes(int processId)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var descriptor in Directory.EnumerateFiles($"/proc/{processId}/fd"))
            {
                if (new FileInfo(descriptor).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
        }
        catch (Exception exception) when (exception is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            // The process ended or a descriptor closed while listing: no sockets of it count.
        }

        return inodes;
    }
}
