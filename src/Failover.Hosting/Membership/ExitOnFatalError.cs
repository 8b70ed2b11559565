using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Failover.Hosting.Membership;

/// <summary>
/// Replaces Orleans' fatal error handler (log, wait 2 s, fail fast): a silo that learns it was declared Dead, or hits
/// any other fatal error, leaves at once with exit code 3, so nothing it still runs outlives its membership.
/// </summary>
internal sealed partial class ExitOnFatalError(ILogger<ExitOnFatalError> logger) : IFatalErrorHandler
{
    public const int ExitCode = 3;

    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        LogFatal(context ?? sender?.GetType().Name ?? "silo", exception?.Message ?? "unknown error");
        Environment.Exit(ExitCode);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Fatal ({Context}): {Reason}; the silo exits with code 3")]
    private partial void LogFatal(string context, string reason);
}
