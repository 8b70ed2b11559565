using Failover.Testing;

namespace Failover.Benchmarks.Peers;

/// <summary>
/// The node processes of one peer system (this program's <c>peer-node</c> verb): started and awaited until they print
/// <see cref="PeerNodeProgram.ReadyLine"/>, killed with SIGKILL, and every one still running killed on dispose.
/// </summary>
internal sealed class PeerNodeProcesses(string system, string connectionString, RunLog runs, string configuration) : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, ProcessRunner> _running = new(StringComparer.Ordinal);
    private readonly List<ProcessRunner> _all = [];

    public async Task StartAsync(string node, CancellationToken cancellationToken)
    {
        if (_running.ContainsKey(node))
        {
            throw new InvalidOperationException($"{system} {node} is already running");
        }

        var arguments = new PeerNodeArguments(system, node, connectionString, runs.Directory, configuration);
        var process = ProcessRunner.Start(BuildOutput.BenchmarkDll, [.. arguments.ToArguments()]);
        _all.Add(process);
        _running[node] = process;
        await Poll.UntilAsync(
            ct => Task.FromResult(process.HasExited
                ? throw new InvalidOperationException($"{system} {node} exited with code {process.ExitCode} while starting: {process.StandardError}{process.StandardOutput}")
                : process.StandardOutput.Contains(PeerNodeProgram.ReadyLine, StringComparison.Ordinal)),
            s_startTimeout,
            $"{system} {node} runs jobs",
            cancellationToken);
    }

    /// <summary>kill -9: the process gets no chance to write anything.</summary>
    public void Kill(string node)
    {
        if (!_running.Remove(node, out var process))
        {
            throw new InvalidOperationException($"{system} {node} is not running");
        }

        process.Signal(Signals.SigKill);
    }

    /// <summary>What the nodes said last: what explains a failure.</summary>
    public void WriteLastLines(TextWriter output, int lines = 20)
    {
        foreach (var process in _all)
        {
            output.WriteLine($"  last lines of {system} pid {process.Id}{(process.HasExited ? $", exited with code {process.ExitCode}" : "")}:");
            foreach (var line in (process.StandardOutput + process.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines))
            {
                output.WriteLine($"    {line}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _all)
        {
            await process.DisposeAsync();
        }
    }
}
