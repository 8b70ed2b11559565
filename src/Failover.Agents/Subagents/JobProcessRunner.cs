using Failover.Agents.Processes;
using System.ComponentModel;
using System.Diagnostics;
using Failover.Agents.Orders;

namespace Failover.Agents.Subagents;

/// <summary>Limits of <see cref="JobProcessRunner"/>.</summary>
public sealed record JobRunnerOptions
{
    /// <summary>How many bytes of output (stdout and stderr interleaved) a run keeps: the last ones.</summary>
    public int OutputTailBytes { get; init; } = 4096;

    /// <summary>How long a killed run's processes get between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for the output pipes to close once the run's process group is gone.</summary>
    public TimeSpan OutputDrain { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runs jobs: builtins (<see cref="BuiltinJobRunner"/>) in-process, commands as OS processes that never outlive the
/// silo and never leave processes behind.
/// <para>
/// A command runs in a process group bound to the silo's life (<see cref="BoundProcessGroup"/>): a <c>kill -9</c> of the
/// silo kills the command and everything it started. Timeout and cancellation send SIGTERM to the group, then SIGKILL
/// after <see cref="JobRunnerOptions.KillGrace"/>; when the command exits by itself the group gets SIGKILL too, for
/// background children it left.
/// </para>
/// <para>
/// The command's stdin is <c>/dev/null</c> and it starts with SIGINT and SIGQUIT ignored (POSIX rules for a background
/// command of a non-interactive shell); a command killed by signal N by itself exits with code 128 + N.
/// </para>
/// </summary>
public sealed class JobProcessRunner : IDisposable
{
    private readonly JobRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ProcessStartThread _starter = new("job-process-starter");

    public JobProcessRunner(JobRunnerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
    }

    /// <summary>Runs <paramref name="run"/> to its end; cancelling <paramref name="cancel"/> kills it (<see cref="JobEnd.Cancelled"/>).</summary>
    public async Task<JobOutcome> RunAsync(JobRun run, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(run);
        var begin = _time.GetTimestamp();
        var tail = new OutputTail(_options.OutputTailBytes);
        using var timeout = new CancellationTokenSource(run.Timeout ?? Timeout.InfiniteTimeSpan, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        JobEnd end;
        if (cancel.IsCancellationRequested)
        {
            end = new JobEnd.Cancelled();
        }
        else if (run.Builtin is not null)
        {
            end = await RunBuiltinAsync(run, tail, timeout.Token, linked.Token);
        }
        else
        {
            end = await RunProcessAsync(run, tail, timeout.Token, linked.Token);
        }

        return new JobOutcome(end, _time.GetElapsedTime(begin), tail.ToString());
    }

    public void Dispose() => _starter.Dispose();

    private static JobEnd Stopped(CancellationToken timeout) =>
        timeout.IsCancellationRequested ? new JobEnd.TimedOut() : new JobEnd.Cancelled();

    private async Task<JobEnd> RunBuiltinAsync(JobRun run, OutputTail tail, CancellationToken timeout, CancellationToken stop)
    {
        try
        {
            return new JobEnd.Exited(await BuiltinJobRunner.RunAsync(run, tail, _time, stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return Stopped(timeout);
        }
        catch (ArgumentException exception)
        {
            return new JobEnd.StartFailed(exception.Message);
        }
    }

    private async Task<JobEnd> RunProcessAsync(JobRun run, OutputTail tail, CancellationToken timeout, CancellationToken stop)
    {
        if (Prepare(run) is not { } start)
        {
            return new JobEnd.StartFailed(StartProblem(run) ?? "cannot start");
        }

        Process process;
        try
        {
            process = await _starter.StartAsync(start, CancellationToken.None);
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException)
        {
            return new JobEnd.StartFailed($"'{run.Command}' did not start: {exception.Message}");
        }

        using (process)
        {
            var group = process.Id;
            try
            {
                process.StandardInput.Close();
                var output = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, tail), PumpAsync(process.StandardError.BaseStream, tail));
                JobEnd end;
                try
                {
                    await process.WaitForExitAsync(stop);
                    end = new JobEnd.Exited(process.ExitCode);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    end = Stopped(timeout);
                    await StopGroupAsync(process, group);
                }

                _ = ProcessSignals.KillGroup(group, ProcessSignals.SigKill);
                try
                {
                    await output.WaitAsync(_options.OutputDrain, _time);
                }
                catch (TimeoutException)
                {
                    tail.Append("\n[output still open after the job ended: a process left its process group]\n");
                }

                return end;
            }
            finally
            {
                // Whatever happened above (also an exception), nothing of the run is left running.
                _ = ProcessSignals.KillGroup(group, ProcessSignals.SigKill);
            }
        }
    }

    private async Task StopGroupAsync(Process process, int group)
    {
        _ = ProcessSignals.KillGroup(group, ProcessSignals.SigTerm);
        try
        {
            await process.WaitForExitAsync().WaitAsync(_options.KillGrace, _time);
        }
        catch (TimeoutException)
        {
        }

        _ = ProcessSignals.KillGroup(group, ProcessSignals.SigKill);
        await process.WaitForExitAsync();
    }

    private static async Task PumpAsync(Stream stream, OutputTail tail)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                tail.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Why <paramref name="run"/> cannot start, or null.</summary>
    internal static string? StartProblem(JobRun run)
    {
        if (string.IsNullOrEmpty(run.Command))
        {
            return "the job has neither a command nor a builtin";
        }

        if (run.WorkingDirectory is { } directory && !Directory.Exists(directory))
        {
            return $"working directory '{directory}' does not exist";
        }

        if (BoundProcessGroup.Problem("job processes") is { } missing)
        {
            return missing;
        }

        return ResolveCommand(run) is null ? $"command '{run.Command}' not found or not executable" : null;
    }

    private static ProcessStartInfo? Prepare(JobRun run)
    {
        if (StartProblem(run) is not null || ResolveCommand(run) is not { } command)
        {
            return null;
        }

        var start = new ProcessStartInfo(BoundProcessGroup.FindSetpriv()!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (run.WorkingDirectory is { } directory)
        {
            start.WorkingDirectory = directory;
        }

        foreach (var argument in LaunchArguments(command, run.Args))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in run.Environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>The arguments of setpriv that run <paramref name="command"/> bound to the caller's life, in its own process group.</summary>
    internal static IEnumerable<string> LaunchArguments(string command, IEnumerable<string> args) =>
        BoundProcessGroup.LaunchArguments("job", command, args);

    /// <summary>The full path of the run's command, or null when it is missing or not executable.</summary>
    internal static string? ResolveCommand(JobRun run)
    {
        var command = run.Command!;
        if (command.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(command, run.WorkingDirectory ?? Environment.CurrentDirectory);
            return IsExecutable(path) ? path : null;
        }

        return FindExecutable(command, run.Environment.GetValueOrDefault("PATH"));
    }

    private static string? FindExecutable(string name, string? searchPath) =>
        (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(IsExecutable);

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows()
        && File.Exists(path)
        && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
