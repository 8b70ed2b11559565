using System.Net;
using Failover.Testing;

namespace Failover.Host.Tests.Faults;

/// <summary>One silo process of the test host (tests/Failover.TestHost): its node name, its port, its output and its signals.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly ProcessRunner _process;
    private bool _disposed;

    private SiloProcess(string node, SiloPorts ports, ProcessRunner process)
    {
        Node = node;
        Ports = ports;
        _process = process;
    }

    public string Node { get; }

    /// <summary>Its Orleans silo port, gateway port (and an HTTP port the test host does not use).</summary>
    public SiloPorts Ports { get; }

    /// <summary>Its Orleans silo port: the port of its membership row.</summary>
    public int Port => Ports.Silo;

    /// <summary>The <c>--set</c> settings it was started with.</summary>
    public IReadOnlyList<string> Settings { get; private init; } = [];

    /// <summary>Where clients connect to it.</summary>
    public IPEndPoint GatewayEndPoint => new(IPAddress.Loopback, Ports.Gateway);

    /// <summary>Its operating-system process id.</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>The exit code once the process has ended on its own; null while it runs (or after it was disposed).</summary>
    public int? ExitCode => !_disposed && _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything the process wrote so far, stdout then stderr.</summary>
    public string Log => _process.StandardOutput + _process.StandardError;

    /// <param name="ports">The ports to listen on (a restart keeps them); free ones when null.</param>
    public static SiloProcess Start(string node, FaultDatabase database, IReadOnlyList<string> settings, SiloPorts? ports = null)
    {
        ports ??= SiloPorts.Next();
        List<string> args =
        [
            "--node", node, "--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}", "--database", database.Setting,
            "--cluster-id", database.ClusterId, "--service-id", database.ServiceId,
        ];
        foreach (var setting in settings)
        {
            args.AddRange(["--set", setting]);
        }

        return new SiloProcess(node, ports, Programs.StartTestHost([.. args]))
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
