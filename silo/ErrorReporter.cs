using System.Net.Sockets;
using Failover.Storage.Membership;
using Failover.Storage;
using Microsoft.Extensions.Options;

namespace Failover.Silo;

/// <summary>Turns a failure into the one line an operator sees and the process exit code.</summary>
internal static class ErrorReporter
{
    public const int UsageExitCode = 2;
    public const int FailureExitCode = 1;

    /// <param name="port">The port the failing bind was for, named in the message.</param>
    public static int Report(Exception exception, int port)
    {
        var (message, exitCode) = Describe(exception, port);
        Console.Error.WriteLine($"error: {message}");
        return exitCode;
    }

    private static (string Message, int ExitCode) Describe(Exception exception, int port) => exception switch
    {
        UsageException usage => (usage.Message, UsageExitCode),
        PortInUseException taken => (taken.Message, FailureExitCode),
        Failover.Hosting.Membership.NodeAlreadyRunningException running => (running.Message, FailureExitCode),
        Orleans.Runtime.OrleansLifecycleCanceledException { InnerException: { } inner } => Describe(inner, port),
        InvalidOperationException unknown when UnknownKeys.Describe(unknown.Message) is { } keys => ($"invalid configuration: {keys}", UsageExitCode),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Describe(inner, port),
        OptionsValidationException validation => ($"invalid configuration: {string.Join("; ", validation.Failures.Select(Plain))}", UsageExitCode),
        InvalidOperationException { InnerException: not null } binding when binding.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase)
            => ($"invalid configuration: {binding.Message}", UsageExitCode),
        FormatException format => (format.Message, UsageExitCode),
        DatabaseUnavailableException unavailable => (unavailable.Message, FailureExitCode),
        SchemaVersionException schema => (schema.Message, FailureExitCode),
        Failover.Hosting.Clients.ClusterUnavailableException unavailable => (unavailable.Message, FailureExitCode),
        Orleans.Runtime.SiloUnavailableException unavailable => (unavailable.Message, FailureExitCode),
        Microsoft.AspNetCore.Connections.AddressInUseException => ($"port {port} is already in use", FailureExitCode),
        IOException io when FindSocketError(io) is SocketError.AddressAlreadyInUse => ($"port {port} is already in use", FailureExitCode),
        IOException io when FindSocketError(io) is SocketError.AddressNotAvailable => ($"cannot listen on the configured host address: {io.Message}", FailureExitCode),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0], port),
        OperationCanceledException => ("start-up was cancelled", FailureExitCode),
        // No type names for the user; the message's first line says what went wrong.
        _ => ($"the silo could not start: {exception.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "unknown failure"}", FailureExitCode),
    };

    /// <summary>
    /// The problem a validation failure names, without the wrapping of .NET's options validation ("DataAnnotation
    /// validation failed for 'NodeLeaseOptions' members: 'Timeout' with the error: '…'."): our messages name the
    /// configuration key already.
    /// </summary>
    private static string Plain(string failure)
    {
        const string marker = " with the error: '";
        var at = failure.IndexOf(marker, StringComparison.Ordinal);
        if (!failure.StartsWith("DataAnnotation validation failed", StringComparison.Ordinal) || at < 0)
        {
            return failure;
        }

        var message = failure[(at + marker.Length)..];
        message = message.EndsWith("'.", StringComparison.Ordinal) ? message[..^2] : message.TrimEnd('\'');
        return message.TrimEnd('.');
    }

    private static SocketError? FindSocketError(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.SocketErrorCode;
            }

            if (current.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return SocketError.AddressAlreadyInUse;
            }
        }

        return null;
    }
}
