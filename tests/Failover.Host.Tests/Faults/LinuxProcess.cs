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
        return [.. new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9 && fields[1].EndsWith(local, StringComparison.Ordinal) && ownSockets.Contains(fields[9]))
            .Select(fields => int.Parse(fields[2][(fields[2].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture))];
    }

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
