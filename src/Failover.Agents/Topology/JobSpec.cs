using System.Collections.Immutable;

namespace Failover.Agents.Topology;

/// <summary>A job: what an order runs. Exactly one of <see cref="Command"/> and <see cref="Builtin"/> is set.</summary>
public sealed record JobSpec
{
    public required string Id { get; init; }

    /// <summary>Id of the agent cluster that dispatches the job.</summary>
    public required string Agent { get; init; }

    /// <summary>Id of the subagent cluster (of the same agent) the job runs on.</summary>
    public string? SubagentCluster { get; init; }

    /// <summary>Executable to start.</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init => field = [.. value]; } = [];

    /// <summary>Environment variables added to the subagent's, in ordinal key order.</summary>
    public IReadOnlyDictionary<string, string> Env
    {
        get;
        init => field = value.ToImmutableSortedDictionary(StringComparer.Ordinal);
    } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public string? WorkingDirectory { get; init; }

    /// <summary>A run taking longer is killed and the order fails with <c>Timeout</c>; null = no limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Most processes of this job at once across the subagent cluster; null = only the subagents' limits.</summary>
    public int? ProcessLimit { get; init; }

    /// <summary>Whether a run lost with its director node is restarted instead of failing with <c>ProcessLost</c>.</summary>
    public bool Restartable { get; init; }

    /// <summary>One of <see cref="BuiltinJobs.Names"/>.</summary>
    public string? Builtin { get; init; }

    public bool Equals(JobSpec? other) =>
        other is not null
        && Id == other.Id
        && Agent == other.Agent
        && SubagentCluster == other.SubagentCluster
        && Command == other.Command
        && Args.SequenceEqual(other.Args, StringComparer.Ordinal)
        && SpecEquality.SameEntries(Env, other.Env)
        && WorkingDirectory == other.WorkingDirectory
        && Timeout == other.Timeout
        && ProcessLimit == other.ProcessLimit
        && Restartable == other.Restartable
        && Builtin == other.Builtin;

    public override int GetHashCode() => HashCode.Combine(Id, Agent, Command, Builtin, Args.Count, Env.Count);
}
