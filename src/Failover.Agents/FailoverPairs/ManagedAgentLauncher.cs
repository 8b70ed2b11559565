using Failover.Agents.Processes;
using System.Diagnostics;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Starts managed agent processes so that neither they nor anything they start outlive the silo: each runs in a
/// process group of its own bound to the silo's life (<see cref="BoundProcessGroup"/>), so a <c>kill -9</c> of the silo
/// kills the whole group — the agent and its children. Linux delivers the parent-death signal when the parent *thread*
/// ends, so every process is started from one dedicated thread that lives as long as the silo, never from a pool
/// thread that may retire. Stopping signals the whole group (SIGTERM, SIGKILL after the grace); when the agent ends by
/// itself, what it left in its group is killed before the agent counts as ended.
/// </summary>
internal sealed class ManagedAgentLauncher : IDisposable
{
    private readonly ProcessStartThread _starter = new("managed-agent-launcher");
    private readonly TimeProvider _time;

    public ManagedAgentLauncher(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Why no managed process can be started safely here (setpriv or setsid missing), or null.</summary>
    public static string? Problem() => BoundProcessGroup.Problem("managed agents");

    public async Task<IManagedAgent> StartAsync(ManagedAgentDefinition definition, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (definition.Builtin == ManagedAgentDefinition.NoopBuiltin)
        {
            return new NoopAgent();
        }

        if (Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var start = new ProcessStartInfo(BoundProcessGroup.FindSetpriv()!) { UseShellExecute = false };
        foreach (var argument in BoundProcessGroup.LaunchArguments("managed-agent", definition.Command!, definition.Args))
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

    /// <summary>A managed agent's process group: its leader (the wrapper) has the group's id and exits with the agent.</summary>
    private sealed class ManagedProcess : IManagedAgent
    {
        private readonly Process _process;
        private readonly TimeProvider _time;
        private readonly int _group;
        private int _stopping;

        public ManagedProcess(Process process, TimeProvider time)
        {
            _process = process;
            _time = time;
            _group = process.Id;
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

            _ = ProcessSignals.KillGroup(_group, ProcessSignals.SigTerm);
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
                _ = ProcessSignals.KillGroup(_group, ProcessSignals.SigKill);
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
                // The agent has ended: whatever it left running in its group ends with it.
                _ = ProcessSignals.KillGroup(_group, ProcessSignals.SigKill);
                _process.Dispose();
            }
        }
    }
}
