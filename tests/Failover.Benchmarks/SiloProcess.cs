using System.Net;
using Failover.Testing;

namespace Failover.Benchmarks;

/// <summary>One silo process of a <see cref="SiloProcessCluster"/>.</summary>
internal sealed class SiloProcess(string node, int port, int gatewayPort, ProcessRunner process)
{
    public string Node { get; } = node;

    /// <summary>The silo port (silo to silo).</summary>
    public IPEndPoint Endpoint { get; } = new(IPAddress.Loopback, port);

    /// <summary>The gateway port (clients).</summary>
    public IPEndPoint Gateway { get; } = new(IPAddress.Loopback, gatewayPort);

    public ProcessRunner Process { get; } = process;

    public bool Killed { get; set; }

    public override string ToString() => $"{Node} (pid {Process.Id}, port {Endpoint.Port})";
}
