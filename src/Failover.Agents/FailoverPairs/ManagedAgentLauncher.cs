using System.Diagnostics;
using System.Runtime.InteropServices;
using Failover.Agents.Subagents;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Starts managed agent processes so that they never outlive the silo: each runs under
/// <c>setpriv --pdeathsig KILL</c> (util-linux), so the kernel kills it when its parent dies — also after a
/// <c>kill -9</c> of the silo. Linux delivers that signal when the parent *thread* ends, so every process is started
/// from one dedicated thread that lives as long as the silo, never from a pool thread that may retire.
/// </summary>
internal sealed partial class ManagedAgentLauncher : IDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly ProcessStartThread _starter = new("managed-agent-launcher");
    private readonly TimeProvider _time;

    public ManagedAgentLauncher(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Where setpriv is, or null when it is missing (then no managed process can be started safely).</summary>
    public static string? FindSetpriv() =>
        new[] { "/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv" }.FirstOrDefault(File.Exists);

    public async Task<IManagedAgent> StartAsync(ManagedAgentDefinition definition, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (definition.Builtin == ManagedAgentDefinition.NoopBuiltin)
        {
            return new NoopAgent();
        }

        var setpriv = FindSetpriv() ?? throw new InvalidOperationException("setpriv (util-linux) is missing: managed agents cannot be bound to the silo's life");
        var start = new ProcessStartInfo(setpriv) { UseShellExecute = false };
        foreach (var argument in new[] { "--pdeathsig", "KILL", "--", definition.Command! }.Concat(definition.Args))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = await _starter.StartAsync(start, cancellationToken);
        return new ManagedProcess(process, _time);
    }

    public void Dispose()
    {
        _starter.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private sealed class ManagedProcess : IManagedAgent
    {
        private readonly Process _process;
        private readonly TimeProvider _time;
        private int _stopping;

        public ManagedProcess(Process process, TimeProvider time)
        {
            _process = process;
            _time = time;
            ProcessId = process.Id;
            Exited = WaitAsync();
        }

        public int? ProcessId { get; }

        public Task Exited { get; }

        public void Stop(TimeSpan grace)
        {
            if (Interlocked.Exchange(ref _stopping, 1) != 0 || Exited.IsCompleted)
            {
                return;
            }

            _ = Kill(_process.Id, SigTerm);
            _ = EscalateAsync(grace);
        }

        private async Task EscalateAsync(TimeSpan grace)
        {
            try
            {
                await Exited.WaitAsync(grace, _time);
            }
            catch (TimeoutException)
            {
                _ = Kill(_process.Id, SigKill);
            }
        }

        private async Task WaitAsync()
        {
            try
            {
                await _process.WaitForExitAsync();
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
