using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Failover.Host.Tests;

/// <summary>Starts the built silo or client as a real OS process, captures its output, and signals it.</summary>
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

    public static ProcessRunner StartSilo(params string[] args) => Start(BuildOutput.SiloDll, args);

    public static ProcessRunner StartClient(params string[] args) => Start(BuildOutput.ClientDll, args);

    /// <summary>Runs the client to completion: exit code, stdout, stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunClientAsync(params string[] args)
    {
        await using var client = StartClient(args);
        var exitCode = await client.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, client.StandardOutput, client.StandardError);
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunSiloToExitAsync(params string[] args)
    {
        await using var silo = StartSilo(args);
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exitCode, silo.StandardOutput, silo.StandardError);
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
            Assert.Fail($"Process {Id} did not exit within {timeout}. stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
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

    private static ProcessRunner Start(string dll, string[] args)
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
