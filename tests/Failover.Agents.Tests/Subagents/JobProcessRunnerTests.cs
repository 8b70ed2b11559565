using System.Diagnostics;
using Failover.Agents.Orders;
using Failover.Agents.Subagents;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Subagents;

public sealed class JobProcessRunnerTests : IDisposable
{
    private readonly JobProcessRunner _runner = new(new JobRunnerOptions { KillGrace = TimeSpan.FromMilliseconds(300) }, TimeProvider.System);
    private readonly string _directory = ProcessProbe.TempDirectory();

    public void Dispose()
    {
        _runner.Dispose();

        // A failed test must not leave its processes running either.
        foreach (var pid in ProcessProbe.WrittenPids(Path.Combine(_directory, "pids")).Where(ProcessProbe.IsRunning))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static JobRun Shell(string script, TimeSpan? timeout = null) =>
        new() { OrderId = "o1", Command = "sh", Args = ["-c", script], Timeout = timeout };

    [Fact]
    public async Task Exit_code_and_interleaved_output_are_captured()
    {
        var outcome = await _runner.RunAsync(Shell("echo to-out; echo to-err >&2; exit 3"), CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(3), outcome.End);
        Assert.Equal(3, outcome.ExitCode);
        Assert.Contains("to-out\n", outcome.OutputTail, StringComparison.Ordinal);
        Assert.Contains("to-err\n", outcome.OutputTail, StringComparison.Ordinal);
        Assert.True(outcome.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Environment_order_arguments_and_working_directory_are_passed()
    {
        var job = new JobSpec
        {
            Id = "env-job",
            Agent = "a",
            Command = "sh",
            Args = ["-c", "echo \"$GREETING|$ORDER_ID|$ORDER_ATTEMPT|$ORDER_ARG_size\"; pwd"],
            Env = new Dictionary<string, string> { ["GREETING"] = "hello world" },
            WorkingDirectory = _directory,
        };
        var order = new OrderRecord { Id = "order-7", Job = "env-job", Attempt = 2, Arguments = new Dictionary<string, string> { ["size"] = "10 MB" } };

        var outcome = await _runner.RunAsync(JobRun.For(job, order), CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(0), outcome.End);
        Assert.Equal($"hello world|order-7|2|10 MB\n{_directory}\n", outcome.OutputTail);
    }

    [Fact]
    public async Task Timeout_kills_the_whole_process_tree()
    {
        var pidFile = Path.Combine(_directory, "pids");
        var run = Shell($"sleep 60 & echo $! >> {pidFile}; sleep 60 & echo $! >> {pidFile}; echo $$ >> {pidFile}; wait", TimeSpan.FromSeconds(1));

        var outcome = await _runner.RunAsync(run, CancellationToken.None);

        Assert.IsType<JobEnd.TimedOut>(outcome.End);
        Assert.Null(outcome.ExitCode);
        await ProcessProbe.AllGoneAsync(await ProcessProbe.PidsAsync(pidFile, 3));
    }

    [Fact]
    public async Task A_job_ignoring_sigterm_is_killed_after_the_grace()
    {
        var pidFile = Path.Combine(_directory, "pids");
        var run = Shell($"trap '' TERM; sleep 60 & echo $! >> {pidFile}; echo $$ >> {pidFile}; while :; do wait; done", TimeSpan.FromMilliseconds(500));

        var outcome = await _runner.RunAsync(run, CancellationToken.None);

        Assert.IsType<JobEnd.TimedOut>(outcome.End);
        await ProcessProbe.AllGoneAsync(await ProcessProbe.PidsAsync(pidFile, 2));
    }

    [Fact]
    public async Task Cancellation_kills_the_whole_process_tree()
    {
        var pidFile = Path.Combine(_directory, "pids");
        using var cancel = new CancellationTokenSource();
        var running = _runner.RunAsync(Shell($"sleep 60 & echo $! >> {pidFile}; echo $$ >> {pidFile}; wait"), cancel.Token);
        var pids = await ProcessProbe.PidsAsync(pidFile, 2);
        Assert.All(pids, pid => Assert.True(ProcessProbe.IsRunning(pid)));

        await cancel.CancelAsync();
        var outcome = await running;

        Assert.IsType<JobEnd.Cancelled>(outcome.End);
        await ProcessProbe.AllGoneAsync(pids);
    }

    [Fact]
    public async Task Background_children_left_by_a_finished_job_are_killed()
    {
        var pidFile = Path.Combine(_directory, "pids");

        var outcome = await _runner.RunAsync(Shell($"sleep 60 > /dev/null 2>&1 & echo $! >> {pidFile}; exit 0"), CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(0), outcome.End);
        await ProcessProbe.AllGoneAsync(await ProcessProbe.PidsAsync(pidFile, 1));
    }

    [Fact]
    public async Task A_missing_command_is_a_clear_start_failure()
    {
        var outcome = await _runner.RunAsync(new JobRun { OrderId = "o", Command = "no-such-command-xyz" }, CancellationToken.None);

        var failed = Assert.IsType<JobEnd.StartFailed>(outcome.End);
        Assert.Contains("no-such-command-xyz", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("not found", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_working_directory_is_a_start_failure()
    {
        var missing = Path.Combine(_directory, "missing");

        var outcome = await _runner.RunAsync(new JobRun { OrderId = "o", Command = "true", WorkingDirectory = missing }, CancellationToken.None);

        var failed = Assert.IsType<JobEnd.StartFailed>(outcome.End);
        Assert.Contains("working directory", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_output_tail_is_bounded_for_megabytes_of_output()
    {
        var outcome = await _runner.RunAsync(Shell("head -c 3000000 /dev/zero | tr '\\0' 'a'; head -c 100000 /dev/zero | tr '\\0' 'b' >&2; echo; echo END"), CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(0), outcome.End);
        Assert.True(outcome.OutputTail.Length <= 4096, $"tail has {outcome.OutputTail.Length} characters");
        Assert.EndsWith("b\nEND\n", outcome.OutputTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_already_cancelled_run_does_not_start()
    {
        var pidFile = Path.Combine(_directory, "pids");

        var outcome = await _runner.RunAsync(Shell($"echo $$ > {pidFile}"), new CancellationToken(canceled: true));

        Assert.IsType<JobEnd.Cancelled>(outcome.End);
        Assert.False(File.Exists(pidFile));
    }

    /// <summary>
    /// The runner's binding to the silo's life: disposing it closes the lifeline's write end, as the kernel does when the
    /// silo dies (also by <c>kill -9</c>, which <c>OrderProcessTests</c> shows with a real silo). The job's whole tree must
    /// die with it: the command and the children it started.
    /// </summary>
    [Fact]
    public async Task A_job_tree_dies_when_the_runners_lifeline_closes()
    {
        var pidFile = Path.Combine(_directory, "pids");
        var runner = new JobProcessRunner(new JobRunnerOptions(), TimeProvider.System);
        var running = runner.RunAsync(Shell($"sleep 60 & echo $! >> {pidFile}; sleep 60 & echo $! >> {pidFile}; echo $$ >> {pidFile}; wait"), CancellationToken.None);
        var pids = await ProcessProbe.PidsAsync(pidFile, 3);
        Assert.All(pids, pid => Assert.True(ProcessProbe.IsRunning(pid)));

        runner.Dispose();

        await ProcessProbe.AllGoneAsync(pids);
        var outcome = await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new JobEnd.Exited(128 + 9), outcome.End);
    }

    [Fact]
    public async Task A_disposed_runner_starts_nothing()
    {
        var pidFile = Path.Combine(_directory, "pids");
        var runner = new JobProcessRunner(new JobRunnerOptions(), TimeProvider.System);
        runner.Dispose();

        var outcome = await runner.RunAsync(Shell($"echo $$ > {pidFile}"), CancellationToken.None);

        Assert.IsType<JobEnd.StartFailed>(outcome.End);
        Assert.False(File.Exists(pidFile));
    }

    [Fact]
    public async Task A_command_killed_by_a_signal_exits_with_128_plus_the_signal()
    {
        var outcome = await _runner.RunAsync(Shell("kill -TERM $$"), CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(128 + 15), outcome.End);
    }

    [Fact]
    public async Task The_job_sees_neither_the_lifeline_nor_ignored_sigpipe()
    {
        var outcome = await _runner.RunAsync(Shell("[ -e /proc/$$/fd/3 ] && echo fd-3-open; grep SigIgn /proc/$$/status"), CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(0), outcome.End);
        Assert.DoesNotContain("fd-3-open", outcome.OutputTail, StringComparison.Ordinal);
        // No standard signal ignored, SIGPIPE included, which .NET ignores. (glibc's own real-time signals 32 and 33 may be.)
        var ignored = Convert.ToUInt64(outcome.OutputTail.Trim().Split('\t')[1], 16) & 0x7FFF_FFFF;
        Assert.Equal(0UL, ignored);
    }

    [Fact]
    public async Task Many_concurrent_jobs_all_end_with_their_own_exit_codes()
    {
        var runs = Enumerable.Range(0, 64).Select(i => _runner.RunAsync(Shell($"echo job-{i}; exit {i % 7}"), CancellationToken.None));

        var outcomes = await Task.WhenAll(runs);

        for (var i = 0; i < outcomes.Length; i++)
        {
            Assert.Equal(new JobEnd.Exited(i % 7), outcomes[i].End);
            Assert.Equal($"job-{i}\n", outcomes[i].OutputTail);
        }
    }
}
