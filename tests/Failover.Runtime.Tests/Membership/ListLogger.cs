using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Tests.MembershipProtocol;

/// <summary>Keeps every log entry with its structured fields.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        Entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), fields.ToDictionary(f => f.Key, f => f.Value)));
    }

    public IReadOnlyList<LogEntry> Matching(string messageStart) =>
        [.. Entries.Where(e => e.Message.StartsWith(messageStart, StringComparison.Ordinal))];
}

internal sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);
