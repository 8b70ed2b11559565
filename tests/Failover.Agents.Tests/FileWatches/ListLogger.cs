using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.Tests.FileWatches;

/// <summary>Keeps every formatted log line.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));

    public int Count(string fragment) => _entries.Count(e => e.Message.Contains(fragment, StringComparison.Ordinal));

    public override string ToString() => string.Join('\n', _entries.Select(e => $"{e.Level}: {e.Message}"));
}
