using Failover.Runtime.Configuration;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Activation;

/// <summary>Every CollectionQuantum, asks the catalog to deactivate activations idle for longer than CollectionAge.</summary>
internal sealed class ActivationCollector(Catalog catalog, IOptions<GrainOptions> options, TimeProvider timeProvider) : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _loop = RunAsync(_stop.Token);
    }

    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop?.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.CollectionQuantum, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                catalog.CollectIdleActivations();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
