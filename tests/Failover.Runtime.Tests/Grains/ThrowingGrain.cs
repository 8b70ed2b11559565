using Failover.Runtime.Grains;

namespace Failover.Runtime.Tests.Grains;

public sealed class QuotaExceededException(string message) : Exception(message);

public interface IThrowingGrain : IGrainWithStringKey
{
    Task ThrowInvalidOperation(string message);

    Task<int> ThrowCustom(string message);

    ValueTask<int> ThrowSynchronously(string message);

    Task<string> Echo(string text);
}

public sealed class ThrowingGrain : Grain, IThrowingGrain
{
    public Task ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    public async Task<int> ThrowCustom(string message)
    {
        await Task.Yield();
        throw new QuotaExceededException(message);
    }

    public ValueTask<int> ThrowSynchronously(string message) => throw new ArgumentException(message);

    public Task<string> Echo(string text) => Task.FromResult(text);
}

public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task Ping();
}

public sealed class FailingActivationGrain : Grain, IFailingActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"cannot activate {GetPrimaryKeyString()}");

    public Task Ping() => Task.CompletedTask;
}
