namespace Failover.Agents.FailoverPairs;

/// <summary>A managed agent that was started: a process, or a built-in component.</summary>
internal interface IManagedAgent
{
    /// <summary>The process id, or null for a built-in component.</summary>
    int? ProcessId { get; }

    /// <summary>Completes when the agent has ended (stopped, crashed, killed).</summary>
    Task Exited { get; }

    /// <summary>Asks the agent to end (SIGTERM, then SIGKILL after <paramref name="grace"/>); does not wait for it.</summary>
    void Stop(TimeSpan grace);
}

/// <summary>The built-in <c>noop</c> component: "runs" until it is stopped.</summary>
internal sealed class NoopAgent : IManagedAgent
{
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int? ProcessId => null;

    public Task Exited => _exited.Task;

    public void Stop(TimeSpan grace) => _exited.TrySetResult();
}
