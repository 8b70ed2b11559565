namespace Failover.Benchmarks;

/// <summary>
/// The calls of a measurement that failed, and the last failure: a call a silo refused (e.g. its node lease had
/// lapsed) is counted, not fatal, so a figure still comes out and the table shows what went wrong.
/// </summary>
[GenerateSerializer]
[Alias("Failover.Benchmarks.CallFailures")]
public sealed class CallFailures
{
    [Id(0)]
    private long _count;

    [Id(1)]
    private string? _last;

    public long Count => Interlocked.Read(ref _count);

    public string? Last => Volatile.Read(ref _last);

    /// <summary>Runs <paramref name="call"/>; false (and counted) when it failed.</summary>
    public async Task<bool> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Record(exception);
            return false;
        }
    }

    public void Record(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Interlocked.Increment(ref _count);
        Volatile.Write(ref _last, $"{exception.GetType().Name}: {exception.Message.Split('\n')[0].Trim()}");
    }

    public void Add(CallFailures other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Interlocked.Add(ref _count, other.Count);
        if (other.Last is { } last)
        {
            Volatile.Write(ref _last, last);
        }
    }

    public override string ToString() => Count == 0 ? "none" : $"{Count}, the last: {Last}";
}
