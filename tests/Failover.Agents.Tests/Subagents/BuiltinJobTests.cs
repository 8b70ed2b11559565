using Failover.Agents.Orders;
using Failover.Agents.Subagents;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Subagents;

public sealed class BuiltinJobTests : IDisposable
{
    private readonly JobProcessRunner _runner = new(new JobRunnerOptions(), TimeProvider.System);

    public void Dispose() => _runner.Dispose();

    private static JobRun Builtin(string name, Dictionary<string, string>? arguments = null, string[]? args = null, TimeSpan? timeout = null) =>
        new() { OrderId = "o", Builtin = name, Arguments = arguments ?? [], Args = args ?? [], Timeout = timeout };

    [Fact]
    public void The_runner_knows_every_builtin_name()
    {
        Assert.Equal(["fail", "noop", "sleep"], BuiltinJobs.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Noop_exits_zero_at_once()
    {
        var outcome = await _runner.RunAsync(Builtin(BuiltinJobs.Noop), CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(0), outcome.End);
        Assert.True(outcome.Duration < TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData("7", null, 7)]
    [InlineData(null, "42", 42)]
    public async Task Fail_exits_with_its_code(string? code, string? firstArg, int expected)
    {
        var run = Builtin(BuiltinJobs.Fail, code is null ? null : new() { ["code"] = code }, firstArg is null ? null : [firstArg]);

        var outcome = await _runner.RunAsync(run, CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(expected), outcome.End);
    }

    [Fact]
    public async Task Sleep_waits_then_exits_zero()
    {
        var outcome = await _runner.RunAsync(Builtin(BuiltinJobs.Sleep, new() { ["ms"] = "100" }), CancellationToken.None);

        Assert.Equal(new JobEnd.Exited(0), outcome.End);
        Assert.True(outcome.Duration >= TimeSpan.FromMilliseconds(90), $"took {outcome.Duration}");
    }

    [Fact]
    public void Sleep_reads_its_duration_from_arguments()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), BuiltinJobRunner.SleepDuration(Builtin(BuiltinJobs.Sleep)));
        Assert.Equal(TimeSpan.FromMilliseconds(250), BuiltinJobRunner.SleepDuration(Builtin(BuiltinJobs.Sleep, new() { ["ms"] = "250" })));
        Assert.Equal(TimeSpan.FromSeconds(1.5), BuiltinJobRunner.SleepDuration(Builtin(BuiltinJobs.Sleep, new() { ["seconds"] = "1.5" })));
        Assert.Equal(TimeSpan.FromMinutes(2), BuiltinJobRunner.SleepDuration(Builtin(BuiltinJobs.Sleep, new() { ["duration"] = "2m" })));
        Assert.Equal(TimeSpan.FromMilliseconds(300), BuiltinJobRunner.SleepDuration(Builtin(BuiltinJobs.Sleep, args: ["300ms"])));
    }

    [Fact]
    public async Task Sleep_honours_the_timeout()
    {
        var outcome = await _runner.RunAsync(Builtin(BuiltinJobs.Sleep, new() { ["seconds"] = "60" }, timeout: TimeSpan.FromMilliseconds(100)), CancellationToken.None);

        Assert.IsType<JobEnd.TimedOut>(outcome.End);
        Assert.True(outcome.Duration < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Sleep_honours_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        var running = _runner.RunAsync(Builtin(BuiltinJobs.Sleep, new() { ["seconds"] = "60" }), cancel.Token);

        await cancel.CancelAsync();
        var outcome = await running;

        Assert.IsType<JobEnd.Cancelled>(outcome.End);
    }

    [Theory]
    [InlineData("nope", "ms", "1")]
    [InlineData("sleep", "ms", "soon")]
    [InlineData("fail", "code", "x")]
    public async Task Unknown_builtins_and_bad_arguments_fail_to_start(string name, string argument, string value)
    {
        var outcome = await _runner.RunAsync(Builtin(name, new() { [argument] = value }), CancellationToken.None);

        Assert.IsType<JobEnd.StartFailed>(outcome.End);
    }
}
