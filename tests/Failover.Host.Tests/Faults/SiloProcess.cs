using System.Net;
using Failover.Testing;

namespace Failover.Host.Tests.Faults;

/// <summary>One silo process of the test host (tests/Failover.TestHost): its node name, its port, its output and its signals.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly ProcessRunner _process;
    private bool _disposed;

    private SiloProcess(string node, int port, int gatewayPort, ProcessRunner process)
    {
        Node = node;
        Port = port;
        GatewayPort = gatewayPort;
        _process = process;
    }

    public string Node { get; }

    /// <summary>The Orleans silo port.</summary>
    public int Port { get; }

    /// <summary>The Orleans gateway port clients connect to.</summary>
    public int GatewayPort { get; }

    /// <summary>The <c>--set</c> settings it was started with.</summary>
    public IReadOnlyList<string> Settings { get; private init; } = [];

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public IPEndPoint GatewayEndPoint => new(IPAddress.Loopback, GatewayPort);

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>Everything the process wrote so far, stdout then stderr.</summary>
    public string Log => _process.StandardOutput + _process.StandardError;

    /// <param name="ports">The silo and gateway ports to listen on; free ones when null.</param>
    public static SiloProcess Start(string node, FaultDatabase database, IReadOnlyList<string> settings, (int Silo, int Gateway)? ports = null)
    {
        var (port, gatewayPort) = ports ?? (FreePorts.Next(), FreePorts.Next());
        List<string> args =
        [
            "--node", node, "--port", $"{port}", "--gateway-port", $"{gatewayPort}", "--database", database.Setting,
            "--cluster-id", database.ClusterId, "--service-id", database.ServiceId,
        ];
        foreach (var setting in settings)
        {
            args.AddRange(["--set", setting]);
        }

        return new SiloProcess(node, port, gatewayPort, Programs.StartTestHost([.. args]))
        {
            Settings = settings,
        };
    }

    /// <summary>kill -9: no cleanup, the row stays Active until others declare it Dead.</summary>
    public void Kill() => _process.Signal(Signals.SigKill);

    /// <summary>SIGTERM: graceful stop.</summary>
    public void Terminate() => _process.Signal(Signals.SigTerm);

    /// <summary>SIGSTOP: the process is frozen, its sockets stay open.</summary>
    public void Pause() => _process.Signal(Signals.SigStop);

    /// <summary>SIGCONT.</summary>
    public void Resume() => _process.Signal(Signals.SigCont);

    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            await _process.DisposeAsync();
            _disposed = true;
        }
    }
}
