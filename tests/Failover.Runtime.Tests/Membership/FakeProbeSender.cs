using System.Collections.Concurrent;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Tests.MembershipProtocol;

/// <summary>Answers every probe unless a target has a behaviour set; records every call.</summary>
internal sealed class FakeProbeSender : IProbeSender
{
    private readonly ConcurrentDictionary<SiloAddress, Func<CancellationToken, Task>> _behaviours = new();

    public ConcurrentQueue<(SiloAddress Target, TimeSpan Timeout)> Calls { get; } = new();

    public void Answer(SiloAddress target) => _behaviours.TryRemove(target, out _);

    public void Miss(SiloAddress target) =>
        _behaviours[target] = _ => Task.FromException(new ProbeFailedException($"no answer from {target}", refused: false));

    public void Refuse(SiloAddress target) =>
        _behaviours[target] = _ => Task.FromException(new ProbeFailedException($"connection to {target} refused", refused: true));

    public void Throw(SiloAddress target, Exception exception) => _behaviours[target] = _ => throw exception;

    /// <summary>Never completes and ignores its timeout and token: a broken transport.</summary>
    public void Hang(SiloAddress target) => _behaviours[target] = _ => new TaskCompletionSource().Task;

    public Task ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Calls.Enqueue((target, timeout));
        return _behaviours.TryGetValue(target, out var behaviour) ? behaviour(cancellationToken) : Task.CompletedTask;
    }
}
