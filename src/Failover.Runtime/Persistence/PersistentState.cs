using System.Globalization;
using System.Text.Json;
using Failover.Runtime.Activation;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Persistence;

internal sealed class PersistentState<TState>(GrainActivation activation, string stateName) : IPersistentState<TState>, IPersistentStateBinding
    where TState : new()
{
    private long _version;

    public TState State { get; set; } = new();

    public string? Etag => _version == 0 ? null : _version.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists => _version != 0;

    private IGrainStateStore Store => activation.Runtime.StateStore;

    private JsonSerializerOptions JsonOptions => activation.Runtime.Options.StateSerializerOptions;

    public Task ReadAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await Store.ReadAsync(activation.GrainId, stateName, cancellationToken);
        if (stored is null)
        {
            State = new TState();
            _version = 0;
            return;
        }

        try
        {
            State = JsonSerializer.Deserialize<TState>(stored.Payload, JsonOptions) ?? new TState();
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException(
                $"Stored state '{stateName}' of grain {activation.GrainId} cannot be read as {typeof(TState).Name}: {exception.Message}", exception);
        }

        _version = stored.Version;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.Serialize(State, JsonOptions);
        _version = await FencedAsync(() => Store.WriteAsync(activation.GrainId, stateName, payload, _version, activation.Fence, cancellationToken));
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await FencedAsync(async () =>
        {
            await Store.ClearAsync(activation.GrainId, stateName, _version, activation.Fence, cancellationToken);
            return 0L;
        });
        _version = 0;
        State = new TState();
    }

    // A fenced-out activation must not go on acting as the owner: it deactivates after this turn.
    private async Task<long> FencedAsync(Func<Task<long>> write)
    {
        try
        {
            return await write();
        }
        catch (ActivationFencedException)
        {
            activation.RequestDeactivation(DeactivationReason.Fenced);
            throw;
        }
    }
}
