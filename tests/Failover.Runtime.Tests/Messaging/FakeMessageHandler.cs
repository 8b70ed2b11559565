using System.Collections.Concurrent;
using System.Text.Json;
using Failover.Runtime.Messaging;

namespace Failover.Runtime.Tests.Messaging;

/// <summary>
/// Answers by <see cref="Message.Method"/>: <c>echo</c> (default) returns the body, <c>throw</c> throws,
/// <c>hang</c> never answers (until its connection closes), <c>gate</c> waits for <see cref="OpenGate"/>.
/// </summary>
public sealed class FakeMessageHandler : IMessageHandler
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<RemotePeer> Peers { get; } = new();

    public void OpenGate() => _gate.TrySetResult();

    public async ValueTask<Message> HandleRequestAsync(Message request, RemotePeer from, CancellationToken cancellationToken)
    {
        Peers.Enqueue(from);
        Interlocked.Increment(ref _calls);
        switch (request.Method)
        {
            case "throw":
                throw new InvalidOperationException("handler failed on purpose");
            case "hang":
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
            case "gate":
                await _gate.Task.WaitAsync(cancellationToken);
                break;
            default:
                await Task.Yield();
                break;
        }

        return new Message { Body = request.Body };
    }

    public static Message Echo(int value) => new() { Method = "echo", Target = "test/1", Body = JsonSerializer.SerializeToElement(value) };

    public static Message Call(string method) => new() { Method = method, Target = "test/1" };
}
