using System.Collections.Immutable;
using Failover.Agents.Topology;

namespace Failover.Agents.Orders;

/// <summary>
/// One run of an order's job on a subagent: either a command to start (<see cref="Command"/>) or a builtin job run
/// in-process (<see cref="Builtin"/>, one of <see cref="BuiltinJobs.Names"/>).
/// </summary>
[GenerateSerializer]
[Alias("Failover.JobRun")]
public sealed record JobRun
{
    [Id(0)]
    public required string OrderId { get; init; }

    [Id(1)]
    public int Attempt { get; init; } = 1;

    /// <summary>Executable to start: a path, or a name looked up on the PATH (the run's, else the subagent's).</summary>
    [Id(2)]
    public string? Command { get; init; }

    [Id(3)]
    public IReadOnlyList<string> Args { get; init => field = [.. value]; } = [];

    /// <summary>Variables added to the subagent's environment (the job's env and the <c>ORDER_</c> variables).</summary>
    [Id(4)]
    public IReadOnlyDictionary<string, string> Environment
    {
        get;
        init => field = value.ToImmutableSortedDictionary(StringComparer.Ordinal);
    } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Null = the subagent's working directory.</summary>
    [Id(5)]
    public string? WorkingDirectory { get; init; }

    /// <summary>A run taking longer is killed (the whole process tree) and ends as timed out; null = no limit.</summary>
    [Id(6)]
    public TimeSpan? Timeout { get; init; }

    /// <summary>One of <see cref="BuiltinJobs.Names"/>; then <see cref="Command"/> is ignored.</summary>
    [Id(7)]
    public string? Builtin { get; init; }

    /// <summary>The order's arguments by name (builtins read theirs from here; processes see them as environment variables).</summary>
    [Id(8)]
    public IReadOnlyDictionary<string, string> Arguments
    {
        get;
        init => field = value.ToImmutableSortedDictionary(StringComparer.Ordinal);
    } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>The run of <paramref name="order"/>'s current attempt of <paramref name="job"/>.</summary>
    public static JobRun For(JobSpec job, OrderRecord order)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(order);
        return new JobRun
        {
            OrderId = order.Id,
            Attempt = order.Attempt,
            Command = job.Command,
            Args = job.Args,
            Environment = OrderEnvironment.For(job, order),
            WorkingDirectory = job.WorkingDirectory,
            Timeout = job.Timeout,
            Builtin = job.Builtin,
            Arguments = order.Arguments,
        };
    }
}
