using System.Globalization;
using Failover.Agents.Orders;
using Failover.Agents.Topology;

namespace Failover.Agents.Subagents;

/// <summary>
/// Runs the builtin jobs (<see cref="BuiltinJobs.Names"/>) in-process, for tests and benchmarks:
/// <list type="bullet">
/// <item><c>noop</c> exits 0 at once;</item>
/// <item><c>sleep</c> waits for the order argument <c>ms</c> (milliseconds), <c>seconds</c> or <c>duration</c>
/// (<c>250ms</c>, <c>2s</c>), else the job's first argument as a duration, else 1 s; then exits 0;</item>
/// <item><c>fail</c> exits with the order argument <c>code</c>, else the job's first argument, else 1.</item>
/// </list>
/// </summary>
internal static class BuiltinJobRunner
{
    public static readonly TimeSpan DefaultSleep = TimeSpan.FromSeconds(1);

    public const int DefaultFailCode = 1;

    /// <summary>The exit code; throws <see cref="OperationCanceledException"/> when <paramref name="cancel"/> fires first.</summary>
    /// <exception cref="ArgumentException">The builtin is unknown or an argument is invalid.</exception>
    public static async Task<int> RunAsync(JobRun run, OutputTail output, TimeProvider time, CancellationToken cancel)
    {
        switch (run.Builtin)
        {
            case BuiltinJobs.Noop:
                return 0;
            case BuiltinJobs.Sleep:
                var duration = SleepDuration(run);
                output.Append(string.Create(CultureInfo.InvariantCulture, $"sleeping {duration.TotalMilliseconds:0}ms\n"));
                await Task.Delay(duration, time, cancel);
                return 0;
            case BuiltinJobs.Fail:
                var code = FailCode(run);
                output.Append(string.Create(CultureInfo.InvariantCulture, $"failing with exit code {code}\n"));
                return code;
            default:
                throw new ArgumentException($"no builtin job '{run.Builtin}' (builtins: {string.Join(", ", BuiltinJobs.Names.Order(StringComparer.Ordinal))})");
        }
    }

    internal static TimeSpan SleepDuration(JobRun run)
    {
        if (run.Arguments.TryGetValue("ms", out var ms))
        {
            return long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= (long)TopologyLimits.MaxDuration.TotalMilliseconds
                ? TimeSpan.FromMilliseconds(value)
                : throw new ArgumentException($"sleep: argument ms must be a whole number of milliseconds, not '{ms}'");
        }

        if (run.Arguments.TryGetValue("seconds", out var seconds))
        {
            return double.TryParse(seconds, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value <= TopologyLimits.MaxDuration.TotalSeconds
                ? TimeSpan.FromSeconds(value)
                : throw new ArgumentException($"sleep: argument seconds must be a non-negative number, not '{seconds}'");
        }

        var text = run.Arguments.TryGetValue("duration", out var named) ? named : (run.Args.Count > 0 ? run.Args[0] : null);
        if (text is null)
        {
            return DefaultSleep;
        }

        return DurationText.TryParse(text, out var duration, out var error)
            ? duration
            : throw new ArgumentException($"sleep: '{text}' is not a duration ({error})");
    }

    internal static int FailCode(JobRun run)
    {
        var text = run.Arguments.TryGetValue("code", out var named) ? named : (run.Args.Count > 0 ? run.Args[0] : null);
        if (text is null)
        {
            return DefaultFailCode;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
            ? code
            : throw new ArgumentException($"fail: exit code must be an integer, not '{text}'");
    }
}
