namespace Failover.Agents.Processes;

/// <summary>
/// How the silo starts a managed agent, whose whole process tree must never outlive it (jobs use <see cref="BoundSpawner"/>):
/// <c>setpriv --pdeathsig USR1 -- setsid -- sh -c WRAPPER NAME COMMAND ARGS…</c>. The wrapper shell leads a new session
/// and process group (its pid is the group's id), starts the command in the background and waits for it. Its
/// parent-death signal (delivered also after a <c>kill -9</c> of the silo, as long as the process was started from a
/// thread that lives as long as the silo) makes it SIGKILL its whole process group — the command and everything it
/// started. A group-wide SIGTERM reaches the command while the wrapper keeps waiting for its exit code, which it exits
/// with. Processes that leave the group (their own <c>setsid</c>) escape all of this.
/// </summary>
internal static class BoundProcessGroup
{
    // $1.. = the command and its arguments. TERM/INT/HUP are caught (not ignored, so the command keeps the defaults)
    // so that a group-wide SIGTERM reaches the command while the wrapper keeps waiting for its exit code.
    private const string Wrapper =
        "trap 'kill -KILL 0' USR1; trap : TERM INT HUP; \"$@\" & c=$!; " +
        "while :; do wait \"$c\"; s=$?; kill -0 \"$c\" 2>/dev/null || exit \"$s\"; done";

    /// <summary>Where setpriv is, or null when it is missing.</summary>
    public static string? FindSetpriv() =>
        new[] { "/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv" }.FirstOrDefault(File.Exists);

    /// <summary>Where setsid is, or null when it is missing.</summary>
    public static string? FindSetsid() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "setsid"))
            .FirstOrDefault(File.Exists);

    /// <summary>Why no bound process can be started here (setpriv or setsid missing), or null.</summary>
    public static string? Problem(string what) =>
        FindSetpriv() is null || FindSetsid() is null
            ? $"setpriv and setsid (util-linux) are needed to bind {what} to the silo's life"
            : null;

    /// <summary>
    /// The arguments of setpriv (<see cref="FindSetpriv"/>) that run <paramref name="command"/> bound to the caller's life,
    /// in its own process group; <paramref name="name"/> is the wrapper's <c>$0</c> (what <c>ps</c> shows).
    /// </summary>
    public static IEnumerable<string> LaunchArguments(string name, string command, IEnumerable<string> args) =>
        new[] { "--pdeathsig", "USR1", "--", FindSetsid() ?? "setsid", "--", "/bin/sh", "-c", Wrapper, name, command }.Concat(args);
}
