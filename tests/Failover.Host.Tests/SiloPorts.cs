using System.Net;
using System.Net.Sockets;

namespace Failover.Host.Tests;

/// <summary>
/// The ports of one silo process: Orleans' silo port, its gateway port and an HTTP port. Every port handed out is free
/// when it is handed out and never handed out twice by this test run, so the silos of one test (or of a restart next to
/// a new silo) never collide. Ports come from below the kernel's ephemeral range, so no outgoing connection of this
/// machine takes one between the allocation and the silo's bind.
/// </summary>
public sealed record SiloPorts(int Silo, int Gateway, int Http)
{
    private const int First = 20_000;
    private const int Last = 32_000;

    private static readonly Lock s_lock = new();
    private static readonly HashSet<int> s_handedOut = [];

    public static SiloPorts Next() => new(NextPort(), NextPort(), NextPort());

    /// <summary>One free loopback port that no other silo of this test run got.</summary>
    public static int NextPort()
    {
        lock (s_lock)
        {
            for (var attempt = 0; attempt < 1000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (!s_handedOut.Contains(port) && IsFree(port))
                {
                    s_handedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free port between {First} and {Last}");
    }

    private static bool IsFree(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
