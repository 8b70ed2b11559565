using Failover.Testing;

namespace Failover.Host.Tests.FailoverPairs;

/// <summary>One real silo process (silo/, Failover.Silo) of a pair test.</summary>
public sealed class PairSilo : IAsyncDisposable
{
    private readonly ProcessRunner _process;

    private PairSilo(string node, SiloPorts ports, string[] args, ProcessRunner process)
    {
        Node = node;
        Ports = ports;
        Args = args;
        _process = process;
    }

    public string Node { get; }

    /// <summary>Its silo, gateway and HTTP ports (the peer's heartbeats come to the HTTP port).</summary>
    public SiloPorts Ports { get; }

    public string[] Args { get; }

    public bool HasExited => _process.HasExited;

    public string Log => _process.StandardOutput + _process.StandardError;

    public static PairSilo Start(string node, SiloPorts ports, params string[] args) => new(node, ports, args, Programs.StartSilo(args));

    public PairSilo Restart() => Start(Node, Ports, Args);

    /// <summary>kill -9: no cleanup at all.</summary>
    public void Kill() => _process.Signal(Signals.SigKill);

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
