using System.Collections.Concurrent;

namespace Failover.Runtime.Tests.Infrastructure;

/// <summary>A per-silo singleton where test grains note lifecycle events the tests then look for.</summary>
public sealed class GrainEventLog
{
    private readonly ConcurrentQueue<string> _events = new();

    public void Add(string value) => _events.Enqueue(value);

    public int Count(string value) => _events.Count(e => e == value);

    public IReadOnlyList<string> All => [.. _events];
}
