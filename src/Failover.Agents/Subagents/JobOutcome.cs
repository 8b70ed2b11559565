namespace Failover.Agents.Subagents;

/// <summary>How a job run ended.</summary>
public abstract record JobEnd
{
    private JobEnd()
    {
    }

    /// <summary>The process (or builtin) finished by itself with <paramref name="Code"/>.</summary>
    public sealed record Exited(int Code) : JobEnd;

    /// <summary>The run took longer than its timeout; its process tree was killed.</summary>
    public sealed record TimedOut : JobEnd;

    /// <summary>The run was cancelled; its process tree was killed.</summary>
    public sealed record Cancelled : JobEnd;

    /// <summary>Nothing ran: e.g. the command or the working directory is missing.</summary>
    public sealed record StartFailed(string Reason) : JobEnd;
}

/// <summary>The end of a job run, how long it took and the last bytes of its output (stdout and stderr interleaved).</summary>
public sealed record JobOutcome(JobEnd End, TimeSpan Duration, string OutputTail)
{
    /// <summary>The exit code when the run exited by itself, else null.</summary>
    public int? ExitCode => End is JobEnd.Exited exited ? exited.Code : null;
}
