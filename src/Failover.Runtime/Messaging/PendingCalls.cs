using System.Collections.Concurrent;

namespace Failover.Runtime.Messaging;

/// <summary>
/// The calls one connection has sent and not yet seen answered, by message id. Once <see cref="FailAll"/> ran, every
/// pending and every later call fails with that exception.
/// </summary>
internal sealed class PendingCalls
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<Message>> _calls = new();
    private long _lastId;
    private Exception? _failure;

    public int Count => _calls.Count;

    public (long Id, Task<Message> Response) Register()
    {
        var id = Interlocked.Increment(ref _lastId);
        var completion = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = completion;

        // FailAll publishes the failure before it sweeps, so a call registered during the sweep is failed here.
        if (Interlocked.CompareExchange(ref _failure, null, null) is { } failure && _calls.TryRemove(id, out _))
        {
            completion.TrySetException(failure);
        }

        return (id, completion.Task);
    }

    public bool TryComplete(long id, Message response) =>
        _calls.TryRemove(id, out var completion) && completion.TrySetResult(response);

    public bool TryFail(long id, Exception exception) =>
        _calls.TryRemove(id, out var completion) && completion.TrySetException(exception);

    public void Remove(long id) => _calls.TryRemove(id, out _);

    public void FailAll(Exception exception)
    {
        Interlocked.CompareExchange(ref _failure, exception, null);
        foreach (var id in _calls.Keys)
        {
            if (_calls.TryRemove(id, out var completion))
            {
                completion.TrySetException(exception);
            }
        }
    }
}
