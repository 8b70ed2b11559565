using Failover.Storage.Grains;
using Failover.Storage.Hosting;

namespace Failover.Benchmarks;

/// <summary>A ping that can also say which silo runs it, so cross-silo benchmarks can check their grains are remote.</summary>
public interface ISiloPingGrain : IGrainWithStringKey
{
    Task<int> Ping(int value);

    Task<string> Node();
}

public sealed class SiloPingGrain(LocalSilo silo) : Grain, ISiloPingGrain
{
    public Task<int> Ping(int value) => Task.FromResult(value);

    public Task<string> Node() => Task.FromResult(silo.NodeName);
}
