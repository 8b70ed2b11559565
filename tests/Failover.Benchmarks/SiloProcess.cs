using System.Net;
using Failover.Testing;

namespace Failover.Benchmarks;

/// <summary>One silo process of a <see cref="SiloProcessCluster"/>.</summary>
internal sealed class SiloProcess(string node, int port, ProcessRunner process)
{
    public string Node { get; } = node;

    public IPEndPoint Endpoint { get; } = new(IPAddress.Loopback, port);

    public ProcessRunner Process { get; } = process;

    public bool Killed { get; set; }

    public override string ToString() => $"{Node} (pid {Process.Id}, port {Endpoint.Port})";
}
