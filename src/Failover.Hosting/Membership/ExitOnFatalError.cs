using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Failover.Hosting.Membership;

/// <summary>
/// Replaces Orleans' fatal error handler (log, wait 2 s, fail fast): a silo that learns it was declared Dead, or hits
/// any other fatal error, leaves at once with exit code 3. It ends the process with <c>_exit</c>, not
/// <see cref="Environment.Exit(int)"/>, so no graceful shutdown runs: a dead silo's director must not tell the witness
/// it stops normally, and nothing it still runs may outlive its membership (its job processes die with it).
/// </summary>
internal sealed partial class ExitOnFatalError(ILogger<ExitOnFatalError> logger) : IFatalErrorHandler
{
    public const int ExitCode = 3;

    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        // Orleans tells a silo it was declared Dead with no exception, only the context ("I have been told I am dead...").
        var reason = exception?.Message ?? context ?? "unknown error";
        LogFatal(context ?? sender?.GetType().Name ?? "silo", reason);
        // The logger writes on a background queue that _exit does not wait for: the operator's line goes out here.
        Console.Error.WriteLine($"fatal: {reason}; the silo exits with code {ExitCode}");
        Console.Error.Flush();
        Terminate(ExitCode);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Terminate(int status);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal ({Context}): {Reason}; the silo exits with code 3")]
    private partial void LogFatal(string context, string reason);
}
