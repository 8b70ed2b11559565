using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Failover.Testing;

/// <summary>
/// Runs a built .NET program (the silo, the client) as a real OS process: captures its output, signals it
/// (SIGTERM, SIGKILL, SIGSTOP, SIGCONT) and waits for it. Disposing kills it if it still runs.
/// </summary>
public sealed partial class ProcessRunner : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ProcessRunner(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Runs the program to completion: exit code, stdout, stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(string dll, TimeSpan timeout, params string[] args)
    {
        await using var process = Start(dll, args);
        var exitCode = await process.WaitForExitAsync(timeout);
        return (exitCode, process.StandardOutput, process.StandardError);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Process {Id} did not exit within {timeout}. stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        }

        return _process.ExitCode;
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static ProcessRunner Start(string dll, params string[] args) => Start(dll, new Dictionary<string, string>(), args);

    /// <param name="environment">Variables set for this process on top of the test's environment.</param>
    public static ProcessRunner Start(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Tests decide the configuration; nothing from the developer's shell leaks in.
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("FAILOVER_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var runner = new ProcessRunner(process);
        process.OutputDataReceived += (_, e) => Append(runner._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(runner._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
