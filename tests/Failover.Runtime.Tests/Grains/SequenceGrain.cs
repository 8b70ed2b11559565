using Failover.Runtime.Grains;

namespace Failover.Runtime.Tests.Grains;

public interface ISequenceGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="value"/>; fails if another call is inside the grain at the same time.</summary>
    Task<int> Append(int value);

    Task<IReadOnlyList<int>> GetValues();

    Task<int> GetOverlaps();
}

/// <summary>Non-reentrant: every call yields mid-turn, so any interleaving would be caught as an overlap.</summary>
public sealed class SequenceGrain : Grain, ISequenceGrain
{
    private readonly List<int> _values = [];
    private int _inside;
    private int _overlaps;

    public async Task<int> Append(int value)
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            _overlaps++;
        }

        await Task.Yield();
        _values.Add(value);
        await Task.Delay(0);
        Interlocked.Decrement(ref _inside);
        return _values.Count;
    }

    public Task<IReadOnlyList<int>> GetValues() => Task.FromResult<IReadOnlyList<int>>([.. _values]);

    public Task<int> GetOverlaps() => Task.FromResult(_overlaps);
}
