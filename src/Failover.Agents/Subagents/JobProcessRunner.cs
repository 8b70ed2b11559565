using Failover.Agents.Orders;
using Failover.Agents.Processes;

namespace Failover.Agents.Subagents;

/// <summary>Limits of <see cref="JobProcessRunner"/>.</summary>
public sealed record JobRunnerOptions
{
    /// <summary>How many bytes of output (stdout and stderr interleaved) a run keeps: the last ones.</summary>
    public int OutputTailBytes { get; init; } = 4096;

    /// <summary>How long a killed run's processes get between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for the output pipe to close once the run's process group is gone.</summary>
    public TimeSpan OutputDrain { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Runs jobs: builtins (<see cref="BuiltinJobRunner"/>) in-process, commands as OS processes that never outlive the
/// silo and never leave processes behind.
/// <para>
/// A command runs in a process group bound to the silo's life (<see cref="BoundSpawner"/>): a <c>kill -9</c> of the
/// silo kills the command and everything it started. Timeout and cancellation send SIGTERM to the group, then SIGKILL
/// after <see cref="JobRunnerOptions.KillGrace"/>; when the command exits by itself the group gets SIGKILL too, for
/// background children it left.
/// </para>
/// <para>
/// The command's stdin is <c>/dev/null</c> and it starts with every signal at its default action; a command killed by
/// signal N (also by its own) ends with exit code 128 + N, as a shell would report it.
/// </para>
/// </summary>
public sealed class JobProcessRunner : IDisposable
{
    private readonly JobRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly BoundSpawner _spawner = new();

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

    /// <summary>Kills every job process tree still running (as the silo's death would) and starts no more.</summary>
    public void Dispose() => _spawner.Dispose();

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
        if (StartProblem(run) is { } problem)
        {
            return new JobEnd.StartFailed(problem);
        }

        SpawnedProcess process;
        try
        {
            process = _spawner.Spawn("job", ResolveCommand(run)!, run.Args, run.Environment, run.WorkingDirectory);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            return new JobEnd.StartFailed($"'{run.Command}' did not start: {exception.Message}");
        }

        await using (process.Output)
        {
            var output = PumpAsync(process.Output, tail);
            JobEnd end;
            try
            {
                end = new JobEnd.Exited(await process.Exit.WaitAsync(stop));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                end = Stopped(timeout);
                await StopGroupAsync(process);
            }

            // The group got SIGKILL when its leader exited (ChildExits): only a process that left it can hold the pipe.
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
    }

    private async Task StopGroupAsync(SpawnedProcess process)
    {
        _ = ProcessSignals.KillGroup(process.ProcessGroup, ProcessSignals.SigTerm);
        try
        {
            await process.Exit.WaitAsync(_options.KillGrace, _time);
        }
        catch (TimeoutException)
        {
            // Not reaped yet (it would have answered), so the group id is still this job's.
            _ = ProcessSignals.KillGroup(process.ProcessGroup, ProcessSignals.SigKill);
        }

        await process.Exit;
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

        if (BoundSpawner.Problem() is { } missing)
        {
            return missing;
        }

        return ResolveCommand(run) is null ? $"command '{run.Command}' not found or not executable" : null;
    }

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
