namespace Failover.Hosting.Tests.Grains;

/// <summary>
/// Makes two silos race for a fenced grain for sure: each new activation of a grain keyed <c>race-…</c> is held in its
/// constructor (before Orleans registers it in the directory) until the other silo's activation is constructed too.
/// One instance is shared by the silos of a test cluster.
/// </summary>
public sealed class RaceGate
{
    public const string Prefix = "race-";

    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, int> _arrivals = [];
    private readonly object _lock = new();

    /// <summary>How many activations of the grain were constructed.</summary>
    public int Arrivals(string key)
    {
        lock (_lock)
        {
            return _arrivals.GetValueOrDefault(key);
        }
    }

    public void Arrive(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return;
        }

        lock (_lock)
        {
            _arrivals[key] = _arrivals.GetValueOrDefault(key) + 1;
            Monitor.PulseAll(_lock);
            var deadline = DateTime.UtcNow + s_patience;
            while (_arrivals[key] < 2 && DateTime.UtcNow < deadline)
            {
                Monitor.Wait(_lock, deadline - DateTime.UtcNow);
            }
        }
    }
}
