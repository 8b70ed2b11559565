using Failover.Runtime.Configuration;
using Failover.Runtime.Hosting;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Activation;

/// <summary>Every CollectionQuantum, asks the catalog to deactivate activations idle for longer than CollectionAge.</summary>
internal sealed class ActivationCollector(Catalog catalog, IOptions<GrainOptions> options, TimeProvider timeProvider) : IAsyncDisposable
{
    private readonly BackgroundLoop _loop = new(options.Value.CollectionQuantum, timeProvider, _ =>
    {
        catalog.CollectIdleActivations();
        return Task.FromResult(true);
    });

    public void Start() => _loop.Start();

    public Task StopAsync() => _loop.StopAsync();

    public ValueTask DisposeAsync() => _loop.DisposeAsync();
}
