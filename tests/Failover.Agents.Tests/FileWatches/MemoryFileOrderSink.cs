using Failover.Agents.FileWatches;

namespace Failover.Agents.Tests.FileWatches;

/// <summary>The durable orders of file watches in memory, counting what the runner asks of it.</summary>
internal sealed class MemoryFileOrderSink : IFileOrderSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Job, IReadOnlyDictionary<string, string> Arguments, bool Ended)> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _submits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _created = new(StringComparer.Ordinal);
    private int _forgotten;

    /// <summary>While set, every call fails as a dispatcher out of reach would.</summary>
    public bool Down { get; set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _orders.Count;
            }
        }
    }

    public int Forgotten
    {
        get
        {
            lock (_gate)
            {
                return _forgotten;
            }
        }
    }

    public Task<IReadOnlyList<FileOrderEntry>> ListAsync(string watchId, CancellationToken ct)
    {
        lock (_gate)
        {
            Fail();
            var prefix = FileOrderIds.WatchPrefix(watchId);
            return Task.FromResult<IReadOnlyList<FileOrderEntry>>(
                [.. _orders.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(o => new FileOrderEntry(o.Key, o.Value.Ended))]);
        }
    }

    public Task SubmitAsync(string orderId, string job, IReadOnlyDictionary<string, string> arguments, CancellationToken ct)
    {
        lock (_gate)
        {
            Fail();
            _submits[orderId] = _submits.GetValueOrDefault(orderId) + 1;
            if (_orders.TryAdd(orderId, (job, arguments, false)))
            {
                _created[orderId] = _created.GetValueOrDefault(orderId) + 1;
            }

            return Task.CompletedTask;
        }
    }

    public Task<bool> ForgetAsync(string orderId, CancellationToken ct)
    {
        lock (_gate)
        {
            Fail();
            if (!_orders.TryGetValue(orderId, out var order) || !order.Ended)
            {
                return Task.FromResult(false);
            }

            _orders.Remove(orderId);
            _forgotten++;
            return Task.FromResult(true);
        }
    }

    public bool Has(string orderId)
    {
        lock (_gate)
        {
            return _orders.ContainsKey(orderId);
        }
    }

    public IReadOnlyDictionary<string, string> Arguments(string orderId)
    {
        lock (_gate)
        {
            return _orders[orderId].Arguments;
        }
    }

    /// <summary>How often <see cref="SubmitAsync"/> was called for the id, and how many orders that made.</summary>
    public (int Submits, int Created) Of(string orderId)
    {
        lock (_gate)
        {
            return (_submits.GetValueOrDefault(orderId), _created.GetValueOrDefault(orderId));
        }
    }

    public void End(string orderId)
    {
        lock (_gate)
        {
            _orders[orderId] = _orders[orderId] with { Ended = true };
        }
    }

    private void Fail()
    {
        if (Down)
        {
            throw new IOException("the dispatcher is out of reach");
        }
    }
}
